"""离职交接 (H1): a departed consultant's customers shared out among successors.

``distribute(item_ids, successor_ids, loads=None)`` gives each item (a customer, a
lead) to one successor so that the counts differ by at most one, counting what each
successor already holds in ``loads`` first (as A11 shares developer-related
customers: the fewest first, ties to the lowest user id). Pure: ids in, a mapping out;
the wizard (``attribution.handover.wizard``) writes it and logs one H1 decision per
customer.
"""


class NoSuccessor(ValueError):
    """Nobody to hand over to (no successor named and nobody present on the desk)."""

    def __init__(self, message_zh, message_en):
        super(NoSuccessor, self).__init__(message_en)
        self.message_zh = message_zh
        self.message_en = message_en


def distribute(item_ids, successor_ids, loads=None):
    # type: (Iterable[int], Iterable[int], Optional[Dict[int, int]]) -> Dict[int, int]
    """``{item id: successor id}``: every item to the successor holding the fewest so
    far (``loads``: items each already holds, default none; ties: lowest user id),
    items taken in ascending id order so the result does not depend on the order
    given.

    Raises ``NoSuccessor`` when there are items but no successor.

    >>> distribute([11, 12, 13, 14, 15], [7, 3])
    {11: 3, 12: 7, 13: 3, 14: 7, 15: 3}
    >>> distribute([1, 2, 3], [7, 3], loads={3: 2})
    {1: 7, 2: 7, 3: 3}
    >>> distribute([], [])
    {}
    """
    successors = sorted(set(successor_ids))
    items = sorted(set(item_ids))
    if items and not successors:
        raise NoSuccessor("没有可接手的顾问:请指定接手顾问,或在轮接名单中标记在岗顾问。",
                          "Nobody to hand over to: name successors, or mark "
                          "consultants present on the rotation.")
    held = {user: (loads or {}).get(user, 0) for user in successors}
    result = {}  # type: Dict[int, int]
    for item in items:
        user = min(successors, key=lambda u: (held[u], u))
        result[item] = user
        held[user] += 1
    return result


__all__ = ["NoSuccessor", "distribute"]
