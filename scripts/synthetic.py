"""Generate a synthetic graph of OncoKG's shape, for benchmarks (never for data/).

Each synthetic drug gets what a curated drug has: multilingual labels, targets (genes and
variants), resistance statements, two studies with arms, outcomes, comparisons with hazard
ratios and confidence intervals, adverse events, doses and interactions, every claim with its
source and section. About 497 triples per drug; ``--triples 1000000`` makes 2,012 drugs.

    python scripts/synthetic.py --triples 1000000 -o build/synthetic-1m.nt
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

OKG = "https://w3id.org/oncokg/ontology#"
OKR = "https://w3id.org/oncokg/resource/syn-"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
UNIT = "http://qudt.org/vocab/unit/"
XSD = "http://www.w3.org/2001/XMLSchema#"
TRIPLES_PER_DRUG = 497
ENDPOINTS = ["ORR", "PFS", "OS", "DCR", "SD", "PR", "TTP", "CBR", "DoR", "CR"]
GRADES = ["AnyGrade", "Grade3", "Grade4", "Grade3to4", "Grade3OrHigher"]


class Writer:
    """Writes N-Triples lines and counts them."""

    def __init__(self, out) -> None:  # type: ignore[no-untyped-def]
        self.out = out
        self.count = 0

    def iri(self, s: str, p: str, o: str) -> None:
        self.out.write(f"<{s}> <{p}> <{o}> .\n")
        self.count += 1

    def lit(
        self, s: str, p: str, value: str, lang: str | None = None, dtype: str | None = None
    ) -> None:
        text = value.replace("\\", "\\\\").replace('"', '\\"')
        suffix = f"@{lang}" if lang else (f"^^<{XSD}{dtype}>" if dtype else "")
        self.out.write(f'<{s}> <{p}> "{text}"{suffix} .\n')
        self.count += 1

    def claim(self, s: str, cls: str, n: int) -> None:
        self.iri(s, RDF_TYPE, OKG + cls)
        self.iri(s, DERIVED, f"{OKR}src-{n % 50}")
        self.iri(s, OKG + "section", f"{OKR}sec-{n % 500}")


def generate(drugs: int, out, seed: int = 7) -> int:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    w = Writer(out)
    for n in range(50):
        src = f"{OKR}src-{n}"
        w.iri(src, RDF_TYPE, OKG + "SourceDocument")
        w.lit(src, OKG + "fileName", f"{900 + n:03d}_synthetic.txt")
        w.lit(src, "http://purl.org/dc/terms/title", f"synthetic source {n}")
        w.lit(src, LABEL, f"synthetic source {n}", "en")  # the readable title rows carry
    for n in range(500):
        sec = f"{OKR}sec-{n}"
        w.iri(sec, RDF_TYPE, OKG + "Section")
        w.lit(sec, LABEL, f"section {n}", "en")
        w.iri(sec, "http://purl.org/dc/terms/isPartOf", f"{OKR}src-{n % 50}")
    genes = max(50, drugs // 4)
    for g in range(genes):
        gene = f"{OKR}gene-{g}"
        w.iri(gene, RDF_TYPE, OKG + "Gene")
        w.lit(gene, LABEL, f"SYN{g}", "en")
        w.lit(gene, OKG + "symbol", f"SYN{g}")
        for v in range(4):
            var = f"{OKR}var-{g}-{v}"
            w.iri(var, RDF_TYPE, OKG + "Variant")
            w.lit(var, LABEL, f"SYN{g} X{v + 10}Y", "en")
            w.iri(var, OKG + "gene", gene)
            w.lit(var, OKG + "proteinChange", f"p.A{v + 10}C")
    for d in range(drugs):
        drug = f"{OKR}drug-{d}"
        w.iri(drug, RDF_TYPE, OKG + "Drug")
        w.lit(drug, LABEL, f"synthdrug {d}", "en")
        w.lit(drug, LABEL, f"合成药{d}", "zh-hans")
        w.iri(drug, OKG + "modality", OKG + "SmallMolecule")
        w.iri(drug, DERIVED, f"{OKR}src-{d % 50}")
        for t in range(5):
            c = f"{OKR}dti-{d}-{t}"
            w.claim(c, "DrugTargetInteraction", d + t)
            w.iri(c, OKG + "drug", drug)
            target = (
                f"{OKR}gene-{rng.randrange(genes)}"
                if t % 2
                else f"{OKR}var-{rng.randrange(genes)}-{t % 4}"
            )
            w.iri(c, OKG + "target", target)
            w.iri(c, OKG + "action", OKG + "Inhibits")
            w.iri(c, OKG + "bindingSite", OKG + "ATPBindingSite")
        for r in range(5):
            c = f"{OKR}resp-{d}-{r}"
            w.claim(c, "DrugResponseStatement", d + r)
            w.iri(c, OKG + "drug", drug)
            w.iri(c, OKG + "genotype", f"{OKR}var-{rng.randrange(genes)}-{r % 4}")
            w.iri(
                c,
                OKG + "effect",
                OKG + rng.choice(["Resistance", "Sensitivity", "ReducedSensitivity"]),
            )
            w.iri(
                c,
                OKG + "resistanceKind",
                OKG + rng.choice(["PrimaryResistance", "SecondaryResistance"]),
            )
            w.iri(c, OKG + "disease", f"{OKR}disease-{d % 20}")
            w.lit(c, LABEL, f"statement {d}-{r}", "en")
        for s in range(2):
            study = f"{OKR}study-{d}-{s}"
            w.iri(study, RDF_TYPE, OKG + "ClinicalTrial")
            w.lit(study, LABEL, f"synthetic trial {d}-{s}", "en")
            w.iri(study, DERIVED, f"{OKR}src-{d % 50}")
            w.iri(study, OKG + "phase", OKG + rng.choice(["Phase2", "Phase3"]))
            pop = f"{OKR}pop-{d}-{s}"
            w.iri(study, OKG + "population", pop)
            w.iri(pop, OKG + "priorDrug", f"{OKR}drug-{(d + 1) % drugs}")
            arms = []
            for a, role in enumerate(["ExperimentalArm", "PlaceboArm"]):
                arm, reg = f"{OKR}arm-{d}-{s}-{a}", f"{OKR}reg-{d}-{s}-{a}"
                arms.append(arm)
                w.iri(study, OKG + "hasArm", arm)
                w.iri(arm, RDF_TYPE, OKG + "StudyArm")
                w.lit(arm, LABEL, f"arm {a} of trial {d}-{s}", "en")
                w.iri(arm, OKG + "armRole", OKG + role)
                w.iri(arm, OKG + "regimen", reg)
                w.iri(reg, RDF_TYPE, OKG + "Regimen")
                if a == 0:
                    w.iri(reg, OKG + "regimenDrug", drug)
                for e in ENDPOINTS[:5]:
                    o = f"{OKR}out-{d}-{s}-{a}-{e}"
                    w.claim(o, "Outcome", d + s)
                    w.iri(o, OKG + "arm", arm)
                    w.iri(o, OKG + "study", study)
                    if a == 0:
                        w.iri(o, OKG + "drug", drug)
                    w.iri(o, OKG + "endpoint", OKG + e)
                    pct = e in ("ORR", "DCR", "SD", "PR", "CBR", "CR")
                    w.iri(o, OKG + "statistic", OKG + ("Proportion" if pct else "Median"))
                    w.lit(o, OKG + "value", f"{rng.uniform(1, 60):.1f}", dtype="decimal")
                    w.iri(o, OKG + "unit", UNIT + ("PERCENT" if pct else "MO"))
                    w.lit(o, LABEL, f"outcome {d}-{s}-{a}-{e}", "en")
            for e in ("PFS", "OS"):
                c = f"{OKR}cmp-{d}-{s}-{e}"
                hr = rng.uniform(0.3, 1.2)
                w.claim(c, "ArmComparison", d)
                w.iri(c, OKG + "experimentalArm", arms[0])
                w.iri(c, OKG + "comparatorArm", arms[1])
                w.iri(c, OKG + "endpoint", OKG + e)
                w.lit(c, OKG + "hazardRatio", f"{hr:.2f}", dtype="decimal")
                w.lit(c, OKG + "ciLower", f"{hr * 0.8:.2f}", dtype="decimal")
                w.lit(c, OKG + "ciUpper", f"{hr * 1.2:.2f}", dtype="decimal")
                w.lit(c, OKG + "confidenceLevel", "0.95", dtype="decimal")
                w.lit(c, OKG + "pValue", f"{rng.uniform(0.0001, 0.2):.4f}", dtype="decimal")
                w.iri(c, OKG + "pValueRelation", OKG + "Equal")
        for a in range(10):
            c = f"{OKR}ae-{d}-{a}"
            w.claim(c, "AdverseEventObservation", d + a)
            w.iri(c, OKG + "drug", drug)
            w.iri(c, OKG + "adverseEvent", f"{OKR}aeterm-{a}")
            w.iri(c, OKG + "grade", OKG + GRADES[a % len(GRADES)])
            w.lit(c, OKG + "frequencyPercent", f"{rng.uniform(0.5, 60):.1f}", dtype="decimal")
            w.iri(c, OKG + "reportingContext", OKG + "TrialReport")
        for k in range(2):
            c, dose = f"{OKR}dosing-{d}-{k}", f"{OKR}dose-{d}-{k}"
            w.claim(c, "DosingRecommendation", d)
            w.iri(c, OKG + "drug", drug)
            w.iri(c, OKG + "dose", dose)
            w.iri(dose, OKG + "drug", drug)
            w.lit(dose, OKG + "amount", f"{(k + 1) * 100}", dtype="decimal")
            w.iri(dose, OKG + "unit", UNIT + "MilliGM")
        for k in range(2):
            c = f"{OKR}ddi-{d}-{k}"
            w.claim(c, "DrugInteraction", d)
            w.iri(c, OKG + "drug", drug)
            w.iri(c, OKG + "interactsWith", f"{OKR}drug-{rng.randrange(drugs)}")
            w.iri(c, OKG + "advice", OKG + "AvoidCoadministration")
            w.lit(c, OKG + "takeHoursBefore", "4", dtype="decimal")
    for a in range(10):
        w.iri(f"{OKR}aeterm-{a}", RDF_TYPE, OKG + "AdverseEventTerm")
        w.lit(f"{OKR}aeterm-{a}", LABEL, f"adverse event {a}", "en")
    for n in range(20):
        w.iri(f"{OKR}disease-{n}", RDF_TYPE, OKG + "Disease")
        w.lit(f"{OKR}disease-{n}", LABEL, f"disease {n}", "en")
    return w.count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="approximate size")
    parser.add_argument("-o", "--output", type=Path, default=Path("build/synthetic-1m.nt"))
    args = parser.parse_args()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    drugs = max(10, args.triples // TRIPLES_PER_DRUG)
    with args.output.open("w", encoding="utf-8") as out:
        count = generate(drugs, out)
    print(f"wrote {count} triples ({drugs} drugs) to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
