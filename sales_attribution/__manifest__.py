# Copyright 2026 sales_attribution authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Sales Attribution / 案场判客",
    "summary": "Who owns a customer in a property sales office, commission splits, "
               "event confirmations and absentee letters, each decision citing its rule",
    "version": "11.0.1.0.0",
    "category": "Sales",
    "website": "https://example.invalid/sales_attribution",
    "author": "sales_attribution authors",
    "license": "LGPL-3",
    "depends": ["crm", "event", "mail", "report_xlsx"],
    "data": [
        "security/sales_attribution_security.xml",
        "security/ir.model.access.csv",
        "data/sales_attribution_data.xml",
        "views/attribution_visit_views.xml",
        "views/attribution_decision_views.xml",
        "views/attribution_relation_views.xml",
        "views/attribution_conflict_views.xml",
        "views/attribution_split_line_views.xml",
        "views/attribution_rotation_views.xml",
        "views/attribution_violation_views.xml",
        "views/res_partner_views.xml",
        "views/crm_lead_views.xml",
        "views/event_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
        "data/attribution_cron_data.xml",
    ],
    "demo": [
        "demo/sales_attribution_demo.xml",
    ],
    "installable": True,
    "application": True,
}
