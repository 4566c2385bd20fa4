"""The Python API: typed helpers, name resolution in any language, clear errors, pandas."""

from __future__ import annotations

from decimal import Decimal

import pytest

from oncokg import OncoKG
from oncokg.errors import NotFound, ParameterError
from oncokg.rows import Comparison, DrugTarget


@pytest.fixture(scope="module")
def kg() -> OncoKG:
    return OncoKG.open()


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("sunitinib", "drug", "sunitinib"),
        ("SUNITINIB", "drug", "sunitinib"),
        ("舒尼替尼", "drug", "sunitinib"),
        ("LUMAKRAS", "drug", "sotorasib"),
        ("CHEMBL941", "drug", "imatinib"),
        ("okr:imatinib", "drug", "imatinib"),
        ("HGNC:6342", "gene", "KIT"),
        ("PD-L1", "target", "CD274"),
        ("KRAS p.G12C", "genotype", "KRAS-G12C"),
        ("NSCLC", "disease", "NSCLC"),
        ("DOID:9253", "disease", "GIST"),
        ("mDR", "endpoint", "DoR"),
    ],
)
def test_resolve(kg: OncoKG, name: str, kind: str, expected: str) -> None:
    assert [iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1] for iri in kg.resolve(name, kind)] == [
        expected
    ]


def test_unknown_name_raises_not_found(kg: OncoKG) -> None:
    with pytest.raises(NotFound, match="no drug named 'aspirinx'"):
        kg.targets_of("aspirinx")


def test_typed_helpers(kg: OncoKG) -> None:
    targets = kg.drugs_targeting("KRAS G12C")
    assert all(isinstance(t, DrugTarget) for t in targets)
    os_row = next(c for c in kg.comparisons("lurbinectedin") if c.endpoint == "OS")
    assert isinstance(os_row, Comparison)
    assert (os_row.hazard_ratio, os_row.ci_lower, os_row.ci_upper, os_row.p_value) == (
        Decimal("0.73"),
        Decimal("0.57"),
        Decimal("0.95"),
        Decimal("0.0174"),
    )
    diarrhoea = {
        (a.context, a.frequency) for a in kg.adverse_events("sotorasib") if a.event == "diarrhoea"
    }
    assert diarrhoea == {
        ("trial report", Decimal("31.7")),
        ("product label / precautions section", 42),
    }
    assert {
        r.genotype_label for r in kg.resistance(drug="sorafenib") if r.effect == "no activity"
    } == {"KIT D816 substitution", "PDGFRA codon 842 substitution"}
    assert {(d.amount, d.schedule) for d in kg.dosing("sunitinib")} == {
        (50, "4 weeks on, 2 weeks off"),
        (Decimal("37.5"), None),
    }
    assert {i.example for i in kg.interactions("sotorasib") if i.example} == {
        "omeprazole",
        "famotidine",
        "digoxin",
    }
    assert [h.label for h in kg.search("舒尼替尼") if h.class_ == "drug"] == ["sunitinib"]
    pfs = {
        (v.therapy_label, v.value, v.unit)
        for v in kg.endpoint_across_drugs("PFS")
        if v.therapy_label.startswith("regorafenib")
    }
    assert {(value, unit) for _, value, unit in pfs} == {(10, "months"), (Decimal("4.8"), "months")}


def test_resistance_needs_one_filter(kg: OncoKG) -> None:
    with pytest.raises(ParameterError):
        kg.resistance()
    with pytest.raises(ParameterError):
        kg.resistance(drug="imatinib", gene="KIT")


def test_to_pandas(kg: OncoKG) -> None:
    frame = kg.trial_results("regorafenib").to_pandas()
    assert list(frame.columns)[:5] == ["study_label", "phase", "disease_label", "line", "arm_label"]
    assert len(frame) == 8
    assert str(frame["value"].dtype) == "float64" and str(frame["value_months"].dtype) == "float64"
    sunitinib = kg.trial_results("sunitinib").to_pandas()
    weeks = sunitinib[sunitinib["unit"] == "weeks"]
    assert len(weeks) == 4  # Demetri's PFS and TTP, both arms
    assert (abs(weeks["value"] * 7 / 30.4375 - weeks["value_months"]) < 0.006).all()
