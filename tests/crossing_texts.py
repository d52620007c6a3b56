"""A two-file example in which the translator moved a sentence: a crossing pair
(``AlignConfig.crossing_pairs``) for the end-to-end and review-editor tests; and one in which the
translator swapped two neighbouring sentences (``AlignConfig.swapped_pairs``)."""

SNOW_RU = ["Вчера в Москве прошёл сильный снегопад.", "Городские службы работали всю ночь, убирая улицы.",
           "Движение на некоторых дорогах было перекрыто.", "По словам мэра, к утру основные трассы расчистили.",
           "Синоптики обещают похолодание на следующей неделе.", "Жителей просят не оставлять машины на обочинах."]
# the translator moved "City services ..." down, and added a line of its own
SNOW_EN = ["Heavy snow fell in Moscow yesterday.", "Traffic was closed on some roads.",
           "The museum on the hill opens at nine every Sunday.",
           "According to the mayor, the main highways were cleared by morning.", "Forecasters promise a cold snap next week.",
           "City services worked all night clearing the streets.", "Residents are asked not to leave their cars on the roadside."]
MOVED = (SNOW_RU[1], SNOW_EN[5])  # the crossing pair
# the same text with its second and third sentences swapped in the translation: two crossing 1-1 beads
SWAP_EN = [SNOW_EN[0], SNOW_EN[1], SNOW_EN[5], SNOW_EN[3], SNOW_EN[4], SNOW_EN[6]]
