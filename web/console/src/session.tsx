// The signed-in member, their organization and what they may do: one query
// when the console opens, shared by every view. What they may do is the
// API's `explain` of each permission the console's controls need: its
// `allowed` enables a control, its summary (why, and what would allow it)
// is the reason shown beside a disabled one (never hidden).
import { createContext, useContext } from 'react';
import { graphql } from './gql';
import type { SessionQuery } from './gql/graphql';

// One permission's explanation, as a control needs it.
graphql(`
  fragment Why on Explanation { allowed summary }
`);

export const SessionDocument = graphql(`
  query Session {
    viewer { id name email isOwner roles { id name } }
    organization {
      id name plan products
      modules { key name product actions { key permission name scopes seat } }
    }
    rolesRead: explain(permission: "roles.read") { ...Why }
    rolesWrite: explain(permission: "roles.write") { ...Why }
    rolesDelete: explain(permission: "roles.delete") { ...Why }
    membersRead: explain(permission: "members.read") { ...Why }
    membersWrite: explain(permission: "members.write") { ...Why }
    teamsRead: explain(permission: "teams.read") { ...Why }
    teamsWrite: explain(permission: "teams.write") { ...Why }
    teamsDelete: explain(permission: "teams.delete") { ...Why }
    seatsRead: explain(permission: "seats.read") { ...Why }
    seatsWrite: explain(permission: "seats.write") { ...Why }
    accountWrite: explain(permission: "account.write") { ...Why }
    guestsWrite: explain(permission: "guests.write") { ...Why }
    auditLogRead: explain(permission: "audit_log.read") { ...Why }
    apiExplore: explain(permission: "api.explore") { ...Why }
  }
`);

export type Permission =
  | 'roles.read' | 'roles.write' | 'roles.delete'
  | 'members.read' | 'members.write'
  | 'teams.read' | 'teams.write' | 'teams.delete'
  | 'seats.read' | 'seats.write' | 'account.write' | 'guests.write' | 'audit_log.read'
  | 'api.explore';

const field: Record<Permission, keyof SessionQuery> = {
  'roles.read': 'rolesRead',
  'roles.write': 'rolesWrite',
  'roles.delete': 'rolesDelete',
  'members.read': 'membersRead',
  'members.write': 'membersWrite',
  'teams.read': 'teamsRead',
  'teams.write': 'teamsWrite',
  'teams.delete': 'teamsDelete',
  'seats.read': 'seatsRead',
  'seats.write': 'seatsWrite',
  'account.write': 'accountWrite',
  'guests.write': 'guestsWrite',
  'audit_log.read': 'auditLogRead',
  'api.explore': 'apiExplore',
};

export interface Session {
  data: SessionQuery;
  can(p: Permission): boolean;
  /** Why a control is disabled: the API's explanation and what would change it. */
  reason(p: Permission): string;
  signOut(): void;
}

export function makeSession(data: SessionQuery, signOut: () => void): Session {
  return {
    data,
    can: (p) => why(data, p).allowed,
    // The summary names the remedy too ("To allow it: …").
    reason: (p) => why(data, p).summary,
    signOut,
  };
}

type Why = { allowed: boolean; summary: string };

function why(data: SessionQuery, p: Permission): Why {
  return data[field[p]] as Why;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in console');
  return s;
}
