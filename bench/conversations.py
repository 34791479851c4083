"""What the benchmark's customers say: realistic Italian upgrade conversations, each with a
greeting, a quote with its date, a correction, a question on the guide and a handoff."""

from __future__ import annotations

CONVERSATIONS: list[list[str]] = [
    [
        "ciao",
        "vorrei 16 giga di ram in più sul server entry",
        "scade tra 40 giorni",
        "anzi, 32 giga",
        "come si calcola il costo dell'upgrade?",
        "voglio parlare con un operatore",
        "no grazie",
    ],
    [
        "buongiorno",
        "quanto mi costa un ip aggiuntivo sull'housing 1u? il servizio scade fra 80 gg",
        "aggiungi anche il backup da 100 giga",
        "come faccio a ordinarlo dall'area clienti?",
        "mi passi un commerciale?",
        "no",
        "grazie mille, ciao",
    ],
    [
        "salve",
        "posso fare il downgrade del server dedicato?",
        "allora vorrei un disco in più sul server pro",
        "scade tra 10 giorni",
        "no scusa, scade tra 20 giorni",
        "quando viene attivato l'upgrade?",
        "contatti commerciali",
    ],
]
