"""Print the held-out NLU scores that `rasa test nlu` wrote, and fail below the bar.

Intent macro-F1 and entity F1 (micro and macro over the entity types) on a held-out set
(tests/nlu/ in Italian, tests/nlu_en/ in English: written apart from the training data and
never trained on, out-of-scope messages included), and the recall of out_of_scope: a
question about another product must not be taken for an upgrade.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

THRESHOLD = 0.95
OUT_OF_SCOPE_RECALL = 0.9


def main(results: Path, bar: float = THRESHOLD, recall_bar: float = OUT_OF_SCOPE_RECALL) -> int:
    intents = json.loads((results / "intent_report.json").read_text(encoding="utf-8"))
    # the entity extractor's report: DIET's for the Italian model, the CRF's for the English
    # (the newest: `rasa test nlu` leaves an earlier model's in the folder)
    reports = [p for p in results.glob("*_report.json") if p.name != "intent_report.json"]
    extractor = max(reports, key=lambda report: report.stat().st_mtime)
    entities = json.loads(extractor.read_text(encoding="utf-8"))
    scores = {
        "intent macro-F1": intents["macro avg"]["f1-score"],
        "entity micro-F1": entities["micro avg"]["f1-score"],
        "entity macro-F1": entities["macro avg"]["f1-score"],
    }
    print(f"Held-out NLU set ({results}): {intents['macro avg']['support']} messages")
    for name, score in scores.items():
        print(f"  {name:16} {score:.3f}  (bar {bar:.2f})")
    weak = sorted(
        (report["f1-score"], intent)
        for intent, report in intents.items()
        if isinstance(report, dict)
        and "f1-score" in report
        and report["f1-score"] < bar
        and not intent.endswith(" avg")
    )
    for score, intent in weak:
        print(f"  below the bar on its own: {intent} {score:.3f}")
    failed = [name for name, score in scores.items() if score < bar]
    recall = intents["out_of_scope"]["recall"]
    print(f"  out_of_scope recall {recall:.3f}  (bar {recall_bar:.2f})")
    if recall < recall_bar:
        failed.append("out_of_scope recall")
    if failed:
        print(f"FAILED: {', '.join(failed)} below the bar", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path, nargs="?", default=Path("results/nlu"))
    parser.add_argument("--bar", type=float, default=THRESHOLD)
    parser.add_argument("--recall-bar", type=float, default=OUT_OF_SCOPE_RECALL)
    args = parser.parse_args()
    sys.exit(main(args.results, args.bar, args.recall_bar))
