"""Who owns a customer after customer records are merged (Contacts → Merge).

Merging records of one person must not move ownership silently (the rule book cannot
be gamed by merging a colleague's customer into one's own). ``merge_ownership`` takes
the owner and first registration of each merged record and decides:

- no owner on any record: none after the merge;
- one owner (the others unowned or the same): that owner keeps the customer;
- different owners: the merged customer keeps the destination's owner (else the
  proposed one) until the manager rules, and a conflict (A6, 撞单) opens with every
  owner as claimant; the proposal is the owner of the earliest registration (A10),
  none when no record has a registration.

>>> import datetime
>>> day = datetime.datetime
>>> out = merge_ownership(1, [MergedCustomer(1, 7, day(2026, 3, 2)),
...                          MergedCustomer(2, 8, day(2026, 3, 1))], {7: "张伟", 8: "李娜"})
>>> out.owner_id, out.open_conflict, out.claimant_ids, out.proposed_owner_id
(7, True, (7, 8), 8)
>>> merge_ownership(1, [MergedCustomer(1, None, None), MergedCustomer(2, 8, None)],
...                 {8: "李娜"}).owner_id
8
"""
from collections import namedtuple

#: one merged record: ``partner_id``; ``owner_id`` (user id or None); ``first_visit``
#: (naive UTC datetime of its earliest registration, or None)
MergedCustomer = namedtuple("MergedCustomer", "partner_id owner_id first_visit")

#: ``owner_id`` after the merge; ``open_conflict`` (owners differ);
#: ``claimant_ids`` (sorted owner ids); ``proposed_owner_id`` (A10, or None);
#: ``rule_code`` ("A6" when a conflict opens, else None); explanations
MergeOutcome = namedtuple(
    "MergeOutcome", "owner_id open_conflict claimant_ids proposed_owner_id rule_code "
                    "explanation_zh explanation_en")


def merge_ownership(dst_id, customers, names):
    """Ownership of the merged customer.

    ``dst_id``: the record that remains; ``customers``: every merged record (the
    destination included) as ``MergedCustomer``; ``names``: ``{user id: name}`` for the
    explanations. Returns a ``MergeOutcome``; raises ``ValueError`` when ``dst_id`` is
    not among ``customers``.
    """
    by_id = {c.partner_id: c for c in customers}
    if dst_id not in by_id:
        raise ValueError("the destination %r is not among the merged records" % dst_id)
    owners = sorted({c.owner_id for c in customers if c.owner_id})
    if len(owners) <= 1:
        owner = owners[0] if owners else None
        return MergeOutcome(owner, False, tuple(owners), owner, None, "", "")
    dated = sorted((c.first_visit, c.partner_id, c.owner_id) for c in customers
                   if c.owner_id and c.first_visit)
    proposed = dated[0][2] if dated else None
    kept = by_id[dst_id].owner_id or proposed
    who = "、".join(names.get(o, str(o)) for o in owners)
    who_en = ", ".join(names.get(o, str(o)) for o in owners)
    if proposed:
        first = dated[0][0].strftime("%Y-%m-%d %H:%M")
        zh_prop = "按A10建议归最早登记(%s UTC)的顾问%s。" % (first, names.get(proposed))
        en_prop = ("A10 proposes the consultant of the earliest registration (%s "
                   "UTC): %s." % (first, names.get(proposed)))
    else:
        zh_prop = "各记录均无来访登记,由经理指定归属。"
        en_prop = "No record has a registration: the manager names the owner."
    zh = ("A6 合并客户:被合并的客户记录分属不同顾问(%s),合并不改变归属,已开撞单由经理"
          "裁决。%s在裁决前暂归%s。" % (who, zh_prop, names.get(kept, "公司")))
    en = ("A6 merged customers: the merged records belong to different consultants "
          "(%s); the merge moves no customer and opens a conflict for the manager. %s "
          "Until the ruling the owner stays %s."
          % (who_en, en_prop, names.get(kept, "the company")))
    return MergeOutcome(kept, True, tuple(owners), proposed, "A6", zh, en)
