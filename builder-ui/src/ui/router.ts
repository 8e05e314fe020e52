/** Hash routing: the server serves one index.html, so every screen lives after `#`. */
import { useEffect, useState } from "react";

export type Route =
  | { name: "journeys" }
  | { name: "editor"; id: string }
  | { name: "live"; id: string }
  | { name: "results"; id: string }
  | { name: "runs"; query: URLSearchParams }
  | { name: "customers"; query?: URLSearchParams }
  | { name: "overview" }
  | { name: "customer"; id: string }
  | { name: "deliveries"; query: URLSearchParams }
  | { name: "audit" };

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, "") || "/";
  const [path = "/", qs = ""] = raw.split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] === "journeys" && parts[1])
    return parts[2] === "live"
      ? { name: "live", id: parts[1] }
      : parts[2] === "results"
        ? { name: "results", id: parts[1] }
        : { name: "editor", id: parts[1] };
  if (parts[0] === "runs") return { name: "runs", query: new URLSearchParams(qs) };
  if (parts[0] === "customers" && parts[1]) return { name: "customer", id: parts[1] };
  if (parts[0] === "customers") return { name: "customers", query: new URLSearchParams(qs) };
  if (parts[0] === "overview") return { name: "overview" };
  if (parts[0] === "deliveries") return { name: "deliveries", query: new URLSearchParams(qs) };
  if (parts[0] === "audit") return { name: "audit" };
  return { name: "journeys" };
}

export function href(route: Route): string {
  switch (route.name) {
    case "journeys":
      return "#/";
    case "editor":
      return `#/journeys/${encodeURIComponent(route.id)}`;
    case "live":
      return `#/journeys/${encodeURIComponent(route.id)}/live`;
    case "results":
      return `#/journeys/${encodeURIComponent(route.id)}/results`;
    case "runs": {
      const qs = route.query.toString();
      return qs ? `#/runs?${qs}` : "#/runs";
    }
    case "customers": {
      const qs = route.query?.toString() ?? "";
      return qs ? `#/customers?${qs}` : "#/customers";
    }
    case "overview":
      return "#/overview";
    case "customer":
      return `#/customers/${encodeURIComponent(route.id)}`;
    case "deliveries": {
      const qs = route.query.toString();
      return qs ? `#/deliveries?${qs}` : "#/deliveries";
    }
    case "audit":
      return "#/audit";
  }
}

export function navigate(route: Route): void {
  window.location.hash = href(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const on = (): void => setRoute(parseRoute(window.location.hash));
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  return route;
}
