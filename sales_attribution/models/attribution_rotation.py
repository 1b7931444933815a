from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..attribution import rotation as policy


class AttributionRotation(models.Model):
    _name = "attribution.rotation"
    _description = "Reception Rotation"
    _inherit = ["mail.thread"]

    name = fields.Char(related="team_id.name", store=True, readonly=True)
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", required=True, ondelete="cascade", index=True,
        help="The sales office whose consultants take walk-ins in turn (轮接).")
    member_ids = fields.One2many(
        "attribution.rotation.member", "rotation_id", string="Members", copy=True,
        help="Consultants in turn order. An absent member loses the turn (A3) and does "
             "not collect a backlog on return; make-up credits (B1) are served first.")
    last_sequence = fields.Integer(
        string="Last Served Position", default=0, track_visibility="onchange",
        help="Turn order position of the member served last by the round; the next "
             "turn goes to the first present member after it. A position, not an "
             "index, so adding or removing members keeps the order.")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("team_unique", "unique(team_id)", "A sales team has one rotation."),
    ]

    def _policy_members(self):
        self.ensure_one()
        members = self.member_ids.sorted(lambda m: (m.sequence, m.id))
        departed = self._departed_user_ids(members.mapped("user_id").ids)
        return [policy.Member(user_id=m.user_id.id, sequence=m.sequence,
                              present=m.present, makeup_credits=m.makeup_credits,
                              departed=m.user_id.id in departed)
                for m in members]

    @api.model
    def _departed_user_ids(self, user_ids):
        """The ids among ``user_ids`` of consultants who left the office: archived
        users, or users no longer in the addon's consultant group (the manager group
        implies it). One query; ``frozenset``."""
        user_ids = tuple(u for u in set(user_ids) if u)
        if not user_ids:
            return frozenset()
        # the group's id from the cached xmlid lookup (env.ref would also check with
        # a query that the group exists, on every call: 3 per walk-in)
        group_id = self.env["ir.model.data"].xmlid_to_res_id(
            "sales_attribution.group_consultant", raise_if_not_found=True)
        self.env.cr.execute("""
            SELECT u.id FROM res_users u
             WHERE u.id IN %s
               AND (NOT u.active OR NOT EXISTS (
                    SELECT 1 FROM res_groups_users_rel r
                     WHERE r.uid = u.id AND r.gid = %s))""", (user_ids, group_id))
        return frozenset(row[0] for row in self.env.cr.fetchall())

    def _duty_user(self):
        """The consultant on duty: whom the next turn would serve (``rotation.peek``),
        without serving it; an empty ``res.users`` when nobody is present."""
        self.ensure_one()
        try:
            turn = policy.peek(self._policy_members(), self.last_sequence)
        except (policy.NoReceiver, policy.DuplicateSequence):
            return self.env["res.users"]
        return self.env["res.users"].browse(turn.user_id)

    def _check_desk_manager(self):
        """The turn is the desk's: only a sales manager (or the superuser) moves the
        rotation or its presence by hand; consultants serve a turn only by registering
        a visit; a manager of projects only those projects' rotations. Raises
        ``AccessError`` in the user's language."""
        if self.env.uid != SUPERUSER_ID and not self.env.user.has_group(
                "sales_attribution.group_manager"):
            raise AccessError(_(
                "Only a sales manager can move the reception rotation by hand. A turn "
                "is served when the desk registers a walk-in."))
        for rotation in self.sudo():
            self.env.user._attribution_check_projects(
                rotation.team_id, _("the rotation of %s") % rotation.team_id.name)

    @api.multi
    @api.returns("res.users", lambda user: user.id)
    def next_receiver(self):
        """Serve the next turn and return the ``res.users`` who receives the customer
        (its id over XML-RPC). Managers only (``AccessError`` otherwise): consultants
        serve a turn by registering a visit, never by calling this.

        The rotation row is locked (``SELECT ... FOR UPDATE``) for the rest of the
        transaction, so parallel registrations in several workers are served one after
        the other and no turn is given twice or skipped.
        """
        self._check_desk_manager()
        self.ensure_one()
        return self._serve_turn()[0]

    def _serve_turn(self, now=None):
        """Lock, ask the policy whose turn it is, write the new state.

        Returns ``(user, turn)`` where ``turn`` is the policy's ``Turn`` (rule code and
        explanation included).
        """
        self.ensure_one()
        # A serialization failure here is expected under parallel registrations (the
        # waiting transaction is retried by the RPC layer): not logged as a bad query.
        self.env.cr.execute(
            "SELECT id FROM attribution_rotation WHERE id = %s FOR UPDATE", (self.id,),
            log_exceptions=False)
        # Another transaction may have served a turn while we waited for the lock:
        # forget the rotation's state (only it: the whole cache is costly to refill).
        self.invalidate_cache(["last_sequence", "member_ids"], self.ids)
        self.env["attribution.rotation.member"].invalidate_cache(
            ["user_id", "sequence", "present", "makeup_credits"])
        try:
            turn = policy.serve(self._policy_members(), self.last_sequence)
        except policy.NoReceiver:
            raise UserError(_("Nobody in the rotation of %s is present: mark a "
                              "consultant present before "
                              "registering a walk-in.") % self.team_id.name)
        member = self.member_ids.filtered(lambda m: m.user_id.id == turn.user_id)[:1]
        now = now or fields.Datetime.now()
        vals = {"last_assigned": now}
        if turn.used_makeup:
            vals["makeup_credits"] = member.makeup_credits - 1
        # sudo: a consultant registering a walk-in moves the turn without being allowed
        # to edit the rotation itself.
        member.sudo().write(vals)
        if turn.new_last_sequence != self.last_sequence:
            # tracking_disable: one chatter line per walk-in would bury the rotation's
            # chatter; the decision log names the turn of every walk-in (A3)
            self.sudo().with_context(tracking_disable=True).write(
                {"last_sequence": turn.new_last_sequence})
        return member.user_id, turn

    @api.multi
    def action_all_present(self):
        """Mark every member present (managers only)."""
        self._check_desk_manager()
        self.mapped("member_ids").write({"present": True})
        return True
