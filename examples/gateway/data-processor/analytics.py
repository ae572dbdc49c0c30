"""The DataProcessor's business logic, free of any tRPC or tracing code: a small in-memory sales
table, a query over it, and a report whose last step fails.

    rows = find_rows("eu")          # rows whose region or product contains "eu"
    analyze(rows)                   # analyze -> aggregate -> normalize: raises ValueError

The failure is the one the demo is about: `normalize` divides each region's revenue by the
region's baseline for the current quarter, and the baseline table has no entry for it, so the
error surfaces three calls below the tRPC handler.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger("data_processor.analytics")

MAX_QUERY_BYTES = 256  # longer queries are refused by the handler (a business error)

# region, product, units, revenue (EUR)
SALES: tuple[dict[str, Any], ...] = (
    {"region": "eu-west", "product": "sensor-a", "units": 120, "revenue": 8400.0},
    {"region": "eu-west", "product": "sensor-b", "units": 45, "revenue": 5175.0},
    {"region": "eu-north", "product": "sensor-a", "units": 80, "revenue": 5600.0},
    {"region": "us-east", "product": "sensor-a", "units": 210, "revenue": 14700.0},
    {"region": "us-east", "product": "gateway-x", "units": 12, "revenue": 10800.0},
    {"region": "ap-south", "product": "sensor-b", "units": 66, "revenue": 7590.0},
)

CURRENT_QUARTER = "2026-Q4"
# Revenue per region in the quarters a baseline was computed for; the current one is missing.
BASELINES: dict[str, dict[str, float]] = {
    "2026-Q2": {"eu-west": 12000.0, "eu-north": 5000.0, "us-east": 24000.0, "ap-south": 7000.0},
    "2026-Q3": {"eu-west": 13100.0, "eu-north": 5400.0, "us-east": 25100.0, "ap-south": 7300.0},
}


def find_rows(query: str) -> list[dict[str, Any]]:
    """Rows whose region or product contains `query` (case-insensitive); all rows for ""."""
    needle = query.strip().lower()
    return [
        dict(row)
        for row in SALES
        if not needle or needle in row["region"] or needle in row["product"]
    ]


def normalize(totals: dict[str, float], quarter: str) -> dict[str, float]:
    """Each region's revenue as a ratio of its baseline for `quarter`."""
    log.info("normalizing %d regions against the %s baseline", len(totals), quarter)
    baseline = BASELINES.get(quarter)
    if baseline is None:
        raise ValueError(f"no revenue baseline for quarter {quarter}: cannot normalize")
    return {region: revenue / baseline[region] for region, revenue in totals.items()}


def aggregate(rows: list[dict[str, Any]]) -> dict[str, float]:
    """Revenue per region, normalized against the current quarter's baseline."""
    totals: dict[str, float] = {}
    for row in rows:
        totals[row["region"]] = totals.get(row["region"], 0.0) + float(row["revenue"])
    log.info("aggregated %d rows into %d regions", len(rows), len(totals))
    return normalize(totals, CURRENT_QUARTER)


def analyze(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The report: normalized revenue per region and the best region."""
    log.info("analyzing %d rows", len(rows))
    ratios = aggregate(rows)
    best = max(ratios, key=ratios.__getitem__) if ratios else None
    return {"regions": ratios, "best": best, "quarter": CURRENT_QUARTER}
