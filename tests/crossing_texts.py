"""A two-file example in which the translator moved a sentence: a crossing pair
(``AlignConfig.crossing_pairs``) for the end-to-end and review-editor tests."""

SNOW_RU = ["Вчера в Москве прошёл сильный снегопад.", "Городские службы работали всю ночь, убирая улицы.",
           "Движение на некоторых дорогах было перекрыто.", "По словам мэра, к утру основные трассы расчистили.",
           "Синоптики обещают похолодание на следующей неделе.", "Жителей просят не оставлять машины на обочинах."]
# the translator moved "City services ..." down, and added a line of its own
SNOW_EN = ["Heavy snow fell in Moscow yesterday.", "Traffic was closed on some roads.",
           "The museum on the hill opens at nine every Sunday.",
           "According to the mayor, the main highways were cleared by morning.", "Forecasters promise a cold snap next week.",
           "City services worked all night clearing the streets.", "Residents are asked not to leave their cars on the roadside."]
MOVED = (SNOW_RU[1], SNOW_EN[5])  # the crossing pair
