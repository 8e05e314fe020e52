/** Who is signed in and what their role lets them do; screens read it without importing the app shell. */
import { createContext, useContext } from "react";
import type { Role, User } from "./api/types";

export interface Session {
  user: User;
  can: { edit: boolean; operate: boolean; admin: boolean };
  signOut: () => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error("useSession outside a signed-in screen");
  return s;
}

export function permissions(role: Role): Session["can"] {
  return {
    edit: role === "admin" || role === "marketer",
    operate: role === "admin" || role === "ops",
    admin: role === "admin",
  };
}
