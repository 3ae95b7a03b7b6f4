"""Mehr's intake checklist (seed 000: the device is taken in with its box) and its transfer time."""

from __future__ import annotations

from aftersales.contract import Message
from aftersales.i18n.rendering import reader_format, render


def test_aftersales_intake_checklist_asks_mehr_for_box_charger_accessories_damage_and_photos(plugin_hooks, seed_tenant):
    mehr = seed_tenant("mehr")
    checklist = plugin_hooks(mehr).aftersales_intake_checklist(tenant=mehr, product=None)
    assert [(i.code, i.kind, i.required) for i in checklist.items] == [
        ("box", "yes_no", True), ("charger", "yes_no", True), ("accessories", "text", False),
        ("visible_damage", "text", True), ("photos", "photos", True)]
    assert all(isinstance(item.label, Message) and item.label.domain == "aftersales_electronics"
               for item in checklist.items)


def test_mehrs_intake_labels_read_in_persian(plugin_hooks, seed_tenant):
    mehr = seed_tenant("mehr")
    box = plugin_hooks(mehr).aftersales_intake_checklist(tenant=mehr, product=None).item("box")
    assert render(box.label, reader_format("fa")) == "جعبهٔ اصلی تحویل داده شد"


def test_a_transfer_is_expected_within_the_tenants_setting(plugin_hooks, tenant_context):
    tenant = tenant_context("electronics", {"transfer_expected_business_days": 4})
    assert plugin_hooks(tenant).aftersales_intake_checklist(
        tenant=tenant, product=None).transfer_expected_business_days == 4
