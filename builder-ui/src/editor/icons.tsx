import type { ReactNode } from "react";
import type { ActionType } from "../../../engine/schema";

const P = {
  fill: "none",
  stroke: "currentColor",
  strokeWidth: 2,
  strokeLinecap: "round",
  strokeLinejoin: "round",
} as const;

export function NodeIcon({ type, action }: { type: string; action?: ActionType | undefined }) {
  const channel: string = action?.channel ?? action?.type ?? "";
  let path: ReactNode;
  switch (type) {
    case "trigger":
      path = <path d="M13 2 4 14h7l-1 8 9-12h-7z" {...P} />;
      break;
    case "condition":
      path = <path d="M12 3v6m0 0-6 6v6m6-12 6 6v6" {...P} />;
      break;
    case "wait":
      path = (
        <>
          <circle cx="12" cy="12" r="9" {...P} />
          <path d="M12 7v5l3 2" {...P} />
        </>
      );
      break;
    case "split":
      path = <path d="M4 4h5l6 16h5M4 20h5l2-5M15 4h5" {...P} />;
      break;
    case "exit":
      path = <path d="M10 17l5-5-5-5M15 12H3M21 3v18" {...P} />;
      break;
    default:
      switch (channel) {
        case "email":
          path = (
            <>
              <rect x="3" y="5" width="18" height="14" rx="2" {...P} />
              <path d="m3 7 9 6 9-6" {...P} />
            </>
          );
          break;
        case "sms":
        case "wechat":
          path = <path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.4A8 8 0 1 1 21 12z" {...P} />;
          break;
        case "push":
          path = <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9M10 21h4" {...P} />;
          break;
        case "webhook":
          path = (
            <path
              d="M10 13a5 5 0 0 0 7 0l3-3a5 5 0 0 0-7-7l-1 1M14 11a5 5 0 0 0-7 0l-3 3a5 5 0 0 0 7 7l1-1"
              {...P}
            />
          );
          break;
        default:
          path = (
            <path
              d="M12 2v4M12 18v4M4.9 4.9l2.8 2.8M16.3 16.3l2.8 2.8M2 12h4M18 12h4M4.9 19.1l2.8-2.8M16.3 7.7l2.8-2.8"
              {...P}
            />
          );
      }
  }
  return (
    <svg width="16" height="16" viewBox="0 0 24 24" aria-hidden="true">
      {path}
    </svg>
  );
}
