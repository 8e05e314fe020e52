import type { TemplateRenderer } from "../engine/runtime/template-renderer";
import type { TemplateLibrary } from "../engine/templates/index";

/** The engine's view of the template library: renders the journey version's pinned template version. */
export function libraryRenderer(lib: TemplateLibrary): TemplateRenderer {
  return {
    has: (name) => lib.has(name),
    render(name, input) {
      const pin = input.pin as { version?: unknown } | undefined;
      const ref =
        pin && typeof pin.version === "number" && lib.versions(name).includes(pin.version)
          ? { name, version: pin.version }
          : name;
      const coupon = input.vars.couponCode;
      return lib.render(ref, {
        customer: input.customer,
        timezone: input.timezone,
        journey: input.journey,
        event: input.event,
        now: new Date(input.now),
        ...(typeof coupon === "string" ? { coupon } : {}),
        params: input.vars,
      });
    },
  };
}
