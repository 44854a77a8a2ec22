# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""playbooks/templates/call_report.html.j2: every percentage of the report rounds once, from the counts."""

from __future__ import annotations

import os
import re

import jinja2
import pytest

from ansible.plugins.filter.core import FilterModule as CoreFilters

from ansible_collections.sinch.est.plugins.filter.call_stats import call_stats

COLLECTION_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
TEMPLATE = os.path.join(COLLECTION_ROOT, "playbooks", "templates", "call_report.html.j2")


def render(calls, trunk_names=None):
    """The report as playbooks/call_report.yml builds its variables and renders it."""
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)
    environment.filters["dict2items"] = CoreFilters().filters()["dict2items"]
    with open(TEMPLATE, encoding="utf-8") as handle:
        template = environment.from_string(handle.read())
    return template.render(
        report_day="2024-02-01", asr_threshold=0.4, asr_min_attempts=10, top_failures=3,
        report_overall=call_stats(calls, group_by="trunk"), report_results=call_stats(calls, group_by="result")["by"],
        report_trunk_names=trunk_names or {}, report_failures={})


def calls(answered, total, trunk="t1"):
    return [{"call_id": f"{trunk}-{index}", "trunk_id": trunk, "call_result": "COMPLETED" if index < answered else "BUSY",
             "create_time": "2024-02-01T08:00:00Z"} for index in range(total)]


def header_asr(html):
    return re.search(r"ASR ([0-9.]+) %", html).group(1)


def table_asr(html, trunk):
    return re.search(rf"<td>{trunk}</td>\s*<td>\d+</td>\s*<td>\d+</td>\s*<td>([0-9.]+) %</td>", html).group(1)


def result_share(html, result):
    return re.search(rf"<td>{result}</td><td>\d+</td>\s*<td>([0-9.]+) %</td>", html).group(1)


def chart_label(html):
    return re.search(r'font-size="12">([0-9.]+) %</text>', html).group(1)


# 14 of 17 is 82.35294 %: the filter's 4-decimal ASR (0.8235) would show as 82.3 % where the
# share of answered calls shows 82.4 %; 1 of 26 (3.846 %) likewise reads 3.9 against 3.8.
@pytest.mark.parametrize("answered, total, percent", [(14, 17, "82.4"), (1, 26, "3.8"), (27, 54, "50.0"), (0, 12, "0.0")])
def test_the_header_the_table_the_chart_and_the_results_show_one_asr(answered, total, percent):
    html = render(calls(answered, total))
    shown = {"header": header_asr(html), "table": table_asr(html, "t1"), "chart": chart_label(html),
             "results": result_share(html, "COMPLETED") if answered else "0.0"}
    assert shown == dict.fromkeys(shown, percent)


def test_the_overall_asr_is_the_answered_share_of_all_trunks():
    html = render(calls(14, 17, "a") + calls(1, 26, "b"), {"a": "acme-a", "b": "acme-b"})
    assert (header_asr(html), table_asr(html, "acme-a"), table_asr(html, "acme-b")) == ("34.9", "82.4", "3.8")
    assert result_share(html, "COMPLETED") == "34.9" and result_share(html, "BUSY") == "65.1"


def test_no_calls_renders_without_a_division_by_zero():
    html = render([])
    assert "0 calls, 0 answered,\n  ASR - %," in html
    assert "No calls on 2024-02-01." in html
