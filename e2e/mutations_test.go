package e2e

// The mutations the tests send, written once: every test file speaks the
// same vocabulary, so a renamed argument or payload field is changed here.
const (
	mutCreateOrg         = `mutation($in: CreateOrganizationInput!) { createOrganization(input: $in) { organization { id } owner { id } } }`
	mutInvite            = `mutation($in: InviteMemberInput!) { inviteMember(input: $in) { member { id } invitationToken } }`
	mutAccept            = `mutation($t: String!, $email: String, $name: String) { acceptInvitation(token: $t, email: $email, name: $name) { id status } }`
	mutSetRoles          = `mutation($m: ID!, $r: [ID!]!) { setMemberRoles(memberId: $m, roleIds: $r) { id roles { id } } }`
	mutDeactivate        = `mutation($m: ID!) { deactivateMember(memberId: $m) { id status } }`
	mutReactivate        = `mutation($m: ID!) { reactivateMember(memberId: $m) { id status } }`
	mutRemove            = `mutation($m: ID!) { removeMember(memberId: $m) }`
	mutTransfer          = `mutation($m: ID!) { transferOwnership(memberId: $m) { id owner { id } } }`
	mutAssignSeat        = `mutation($m: ID!, $k: SeatKind!) { assignSeat(memberId: $m, kind: $k) { id seats } }`
	mutReleaseSeat       = `mutation($m: ID!, $k: SeatKind!) { releaseSeat(memberId: $m, kind: $k) { id seats } }`
	mutSeatTotal         = `mutation($k: SeatKind!, $n: Int!) { setSeatTotal(kind: $k, total: $n) { kind total used } }`
	mutSetPlan           = `mutation($p: Plan!) { setPlan(plan: $p) { id plan } }`
	mutEnableProduct     = `mutation($p: Product!) { enableProduct(product: $p) { id products } }`
	mutDisableProduct    = `mutation($p: Product!) { disableProduct(product: $p) { id products } }`
	mutCreateTeam        = `mutation($in: CreateTeamInput!) { createTeam(input: $in) { id } }`
	mutRenameTeam        = `mutation($id: ID!, $n: String!) { renameTeam(id: $id, name: $n) { id name } }`
	mutDeleteTeam        = `mutation($id: ID!) { deleteTeam(id: $id) }`
	mutAddTeamMember     = `mutation($t: ID!, $m: ID!, $mgr: Boolean) { addTeamMember(teamId: $t, memberId: $m, manager: $mgr) { id } }`
	mutRemoveTeamMember  = `mutation($t: ID!, $m: ID!) { removeTeamMember(teamId: $t, memberId: $m) { id } }`
	mutCreateRole        = `mutation($in: CreateRoleInput!) { createRole(input: $in) { id key system name description grants { permission scope } } }`
	mutUpdateRole        = `mutation($id: ID!, $n: String, $d: String) { updateRole(id: $id, name: $n, description: $d) { id name } }`
	mutSetGrants         = `mutation($r: ID!, $g: [GrantInput!]!) { setRoleGrants(roleId: $r, grants: $g) { id grants { permission scope } } }`
	mutResetRole         = `mutation($r: ID!) { resetRole(roleId: $r) { id } }`
	mutDeleteRole        = `mutation($id: ID!, $to: ID) { deleteRole(id: $id, reassignToId: $to) }`
	mutGuestInvite       = `mutation($r: ID!, $x: String!) { createGuestInvite(roleId: $r, expiresAt: $x) { token } }`
	mutCreateInteraction = `mutation($in: CreateInteractionInput!) { createInteraction(input: $in) { id } }`
	mutDeleteInteraction = `mutation($id: ID!) { deleteInteraction(id: $id) }`
	mutCreateEvaluation  = `mutation($in: CreateEvaluationInput!) { createEvaluation(input: $in) { id } }`
	mutCreateOwnCall     = `mutation($t: String!) { createInteraction(input: {title: $t}) { id owner { id } } }`
	mutUpdateMember      = `mutation($id: ID!, $in: UpdateMemberInput!) { updateMember(id: $id, input: $in) { id } }`
	mutSetPreferences    = `mutation($m: ID!, $in: MemberPreferencesInput!) { setMemberPreferences(memberId: $m, input: $in) { id } }`
	mutUpdateInteraction = `mutation($id: ID!, $in: UpdateInteractionInput!) { updateInteraction(id: $id, input: $in) { id } }`
	mutUpdateEvaluation  = `mutation($id: ID!, $s: Int!) { updateEvaluation(id: $id, score: $s) { id } }`
	mutDeleteEvaluation  = `mutation($id: ID!) { deleteEvaluation(id: $id) }`
)
