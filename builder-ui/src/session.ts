/**
 * Who is signed in and what their role lets them do; screens read it without importing the app shell.
 * What a role may do comes from the schema's role table through the API operation a button calls, so the
 * builder shows exactly the buttons the server would answer.
 */
import { createContext, useContext } from "react";
import { API_OPERATIONS, can } from "../../engine/schema";
import type { ApiOperationName, Role, User } from "../../engine/schema";

export interface Session {
  user: User;
  /** Whether the user's role may call this API operation. */
  allows: (op: ApiOperationName) => boolean;
  signOut: () => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error("useSession outside a signed-in screen");
  return s;
}

export function allowsFor(role: Role): Session["allows"] {
  return (op) => {
    const permission = API_OPERATIONS[op].permission;
    return permission === null || can(role, permission);
  };
}
