// The signed-in member, their organization and what they may do: one query
// when the console opens, shared by every view. A control the member may
// not use is shown disabled with `reason(permission)` beside it, never
// hidden.
import { createContext, useContext } from 'react';
import { graphql } from './gql';
import type { SessionQuery } from './gql/graphql';

export const SessionDocument = graphql(`
  query Session {
    viewer { id name email isOwner roles { id name } }
    organization {
      id name plan products
      modules { key name product actions { key permission name scopes seat } }
    }
    rolesRead: can(permission: "roles.read")
    rolesWrite: can(permission: "roles.write")
    rolesDelete: can(permission: "roles.delete")
    membersRead: can(permission: "members.read")
    membersWrite: can(permission: "members.write")
    teamsRead: can(permission: "teams.read")
    teamsWrite: can(permission: "teams.write")
    teamsDelete: can(permission: "teams.delete")
    seatsRead: can(permission: "seats.read")
    seatsWrite: can(permission: "seats.write")
    accountWrite: can(permission: "account.write")
    guestsWrite: can(permission: "guests.write")
    auditLogRead: can(permission: "audit_log.read")
  }
`);

export type Permission =
  | 'roles.read' | 'roles.write' | 'roles.delete'
  | 'members.read' | 'members.write'
  | 'teams.read' | 'teams.write' | 'teams.delete'
  | 'seats.read' | 'seats.write' | 'account.write' | 'guests.write' | 'audit_log.read';

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
};

export interface Session {
  data: SessionQuery;
  can(p: Permission): boolean;
  /**
   * Why a control is disabled. Today from `can` alone; once the API has
   * `explain(permission:)`, this is where its summary and remedies go.
   */
  reason(p: Permission): string;
  signOut(): void;
}

export function makeSession(data: SessionQuery, signOut: () => void): Session {
  return {
    data,
    can: (p) => data[field[p]] === true,
    reason: (p) => `Your roles do not grant ${p}.`,
    signOut,
  };
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in console');
  return s;
}
