"""Print the results of a bench run as a Markdown table.

Usage: python bench/table.py 1k=results_1k.json [10k=results_10k.json ...]
"""
# pylint: disable=print-used  # a command-line tool: what it prints is its output
import json
import os
import sys


def fmt(value, digits=1):
    if value is None:
        return "n/a"
    return "%.*f" % (digits, value)


def met(ok):
    return "yes" if ok else "**no**"


def desks_row(scale, desks):
    """The table row of the desks of several projects (``rpc_load.desks_phase``)."""
    return (
        "%d desks of %d projects at once, %d walk-ins each (XML-RPC)" % (
            desks["desks"], desks["desks"], desks["per_desk"]), scale,
        "%.1f s, %d errors, rotations %s" % (
            desks["projects"]["seconds"], desks["projects"]["errors"],
            "exact" if desks["projects"]["rotations_exact"] else "**not exact**"),
        "one desk alone %.1f s; %d desks of one project %.1f s" % (
            desks["one_desk"]["seconds"], desks["desks"],
            desks["one_project"]["seconds"]),
        "%.2f×" % desks["projects_vs_one_desk"],
        "0 errors, each rotation once per walk-in", met(desks["exact"]))


def _median(values):
    values = sorted(values)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (
        values[middle - 1] + values[middle]) / 2.0


def growth_row(rounds, small, large):
    """The growth row from the registration rounds run alternately on the two
    scales (``rounds``: scale -> results): the median of the large scale's visit
    medians over the small scale's, and the lead create's the same way."""
    visit = _median([r["visit"]["median_ms"] for r in rounds[large]]) / _median(
        [r["visit"]["median_ms"] for r in rounds[small]])
    lead = _median([r["lead"]["median_ms"] for r in rounds[large]]) / _median(
        [r["lead"]["median_ms"] for r in rounds[small]])
    count = min(len(rounds[small]), len(rounds[large]))
    return ("registration growth (median of %d alternated rounds)" % count,
            "%s→%s" % (small, large),
            "%.2f× (%.2f× relative to the lead create)" % (visit, visit / lead),
            "plain lead create %.2f×" % lead, "", "≤ 1.2×", met(visit <= 1.2))


def main():
    runs = []
    rounds = {}  # scale -> [registration results of the growth rounds, in order]
    for arg in sys.argv[1:]:
        scale, path = arg.split("=", 1)
        data = {}
        if os.path.exists(path):
            with open(path) as fh:
                data = json.load(fh)
        if scale.startswith("growth:"):
            if data.get("registration"):
                rounds.setdefault(scale[len("growth:"):], []).append(
                    data["registration"])
            continue
        runs.append((scale, data))
    rows = [("measure", "scale", "result", "baseline", "ratio", "target", "met")]
    for scale, data in runs:
        load = data.get("load")
        if load:
            projects = ""
            if load.get("projects"):
                projects = "%d projects (%d customers in 2-3), " % (
                    load["projects"], load["multi_project_customers"])
            rows.append(("data load (bulk SQL + ORM office)", scale,
                         "%.0f s" % load["load_seconds"],
                         "%s%d visits, %d won leads, %d split lines" % (
                             projects, load["visits"], load["won_leads"],
                             load["split_lines"]),
                         "", "minutes, not hours", ""))
        reg = data.get("registration")
        if reg:
            # issue 14: the median at most 1.4x the lead create (as before projects)
            for stat, label, target in (("median_ms", "median", 1.4),
                                        ("p95_ms", "p95", 1.5)):
                ratio = reg["visit"][stat] / reg["lead"][stat]
                rows.append(("visit registration, %s ms/op (n=%d)" % (
                    label, reg["visit"]["n"]), scale, fmt(reg["visit"][stat]),
                    "plain crm.lead create %s" % fmt(reg["lead"][stat]),
                    "%.2f×" % ratio, "≤ %.1f×" % target, met(ratio <= target)))
            kinds = reg.get("by_kind")
            if kinds:
                rows.append(("walk-in median by kind, ms", scale, ", ".join(
                    "%s %s" % (kind, fmt(kinds[kind]["median_ms"]))
                    for kind in ("new", "here", "elsewhere") if kind in kinds),
                    "known here / only elsewhere: %s / %s customers" % (
                        reg.get("known_here"), reg.get("known_elsewhere_only")),
                    "", "", ""))
        splits = data.get("splits")
        if splits:
            rows.append(("split computation, won leads/s", scale,
                         "%s (%d leads in %.0f s)" % (fmt(splits["per_second"]),
                                                      splits["leads"],
                                                      splits["seconds"]),
                         "", "", "≥ 500/s", met((splits["per_second"] or 0) >= 500)))
        sends = data.get("sends")
        if sends:
            if "skipped" in sends:
                rows.append(("confirmation sends (E1)", scale, "not measured",
                             "", "", "≥ 200/s", sends["skipped"]))
            else:
                # the plain send_mail rate of the same run: the machine's load
                reference = sends.get("reference_per_second")
                rows.append(("confirmation sends (E1), rendered + queued/s", scale,
                             "%s (%d sent in %.0f s; %d mails, %d SMS queued)" % (
                                 fmt(sends["per_second"]), sends["sent"],
                                 sends["seconds"], sends["mails_queued"],
                                 sends["sms_queued"]),
                             "plain send_mail %s/s; CPU %s s, %s SQL" % (
                                 fmt(reference), fmt(sends.get("cpu_seconds")),
                                 sends.get("queries", "?")),
                             "%.2f×" % (sends["per_second"] / reference)
                             if reference else "",
                             "≥ 200/s", met((sends["per_second"] or 0) >= 200)))
        export = data.get("export")
        if export:
            ok = export["seconds"] <= 20 and export["peak_rss_mb"] < 300
            rows.append(("XLSX export of %d split lines" % export["lines"], scale,
                         "%.1f s, peak RSS %.0f MB" % (export["seconds"],
                                                       export["peak_rss_mb"]),
                         "RSS before export %.0f MB" % export["rss_before_mb"], "",
                         "≤ 20 s, < 300 MB", met(ok)))
        imp = data.get("import")
        if imp:
            ok = (imp["preview_seconds"] <= 60 and imp["import_seconds"] <= 600
                  and imp["peak_rss_mb"] <= 500)
            batch = imp.get("batch") or {}
            rows.append(("import of %d %s rows (xlsx): preview, import" % (
                imp["rows"], imp["kind"]), scale,
                "%.0f s, %.0f s (%s ok, %s errors, %s duplicates), peak RSS %.0f MB" % (
                    imp["preview_seconds"], imp["import_seconds"],
                    batch.get("count_ok"), batch.get("count_error"),
                    batch.get("count_duplicate"), imp["peak_rss_mb"]),
                "RSS before import %.0f MB" % imp["rss_before_mb"], "",
                "≤ 60 s, ≤ 600 s, ≤ 500 MB", met(ok)))
        par = data.get("parallel")
        if par:
            lead, visit = par["lead"], par["visit"]
            rows.append(("walk-ins over XML-RPC, 4 workers, %d clients"
                         % par["clients"],
                         scale, "%s/s, %d errors (p95 %s ms)" % (
                             fmt(visit["per_second"]), visit["errors"],
                             fmt(visit["p95_ms"], 0)),
                         "plain lead create %s/s, %d errors" % (
                             fmt(lead["per_second"]), lead["errors"]),
                         "%.2f×" % (lead["per_second"] / visit["per_second"])
                         if visit["per_second"] else "n/a",
                         "0 errors", met(visit["errors"] == 0)))
        desks = (par or {}).get("desks")
        if desks:
            rows.append(desks_row(scale, desks))
    regs = [(s, d["registration"]) for s, d in runs if d.get("registration")]
    if len(rounds) > 1:
        rows.append(growth_row(rounds, regs[0][0], regs[-1][0]))
    elif len(regs) > 1:
        (s0, r0), (s1, r1) = regs[0], regs[-1]
        growth = r1["visit"]["median_ms"] / r0["visit"]["median_ms"]
        base = r1["lead"]["median_ms"] / r0["lead"]["median_ms"]
        # the ratio's own growth: what is left when the machine's load changed
        # between the two scales (the lead create measures that load)
        rows.append(("registration growth (median)", "%s→%s" % (s0, s1),
                     "%.2f× (%.2f× relative to the lead create)" % (
                         growth, growth / base),
                     "plain lead create %.2f×" % base, "",
                     "≤ 1.2×", met(growth <= 1.2)))
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths)) + " |")
        if n == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")


if __name__ == "__main__":
    sys.exit(main())
