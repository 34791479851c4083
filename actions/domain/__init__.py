"""Pure domain code of the upgrade assistant: no Rasa import may appear in this package.

Price list and compatibility (`catalog`, `compatibility`), upgrade-cost rules (`pricing`),
days to expiry in Europe/Rome (`expiry`), Italian money formatting (`money`).
"""
