import type { RenderInput, TemplateRenderer } from "../runtime/template-renderer";
import type { TemplateLibrary } from "./library";
import type { RenderedMessage } from "./types";
import { couponCodeFor } from "../actions/builtins/internal";

export interface EngineRendererOptions {
  /**
   * The unsubscribe link of a customer and channel (see `unsubscribeLinks` in engine/consent); templates
   * show it in the footer, and `channelDeliver` puts the same link in the `List-Unsubscribe` header.
   */
  unsubscribeUrl?: (customerId: string, channel: string) => string;
  /**
   * A signed, per-customer survey link, for templates that use `{{surveyUrl}}` when the node gives none.
   * `kind` is the node's `survey` param (`csat` by default, or `nps`).
   */
  surveyUrl?: (invite: { customerId: string; kind: "csat" | "nps"; journeyId?: string }) => string;
}

/**
 * The engine's view of the template library: renders the template version the journey version pinned at
 * publish time (falling back to the newest when that version is gone), with the run's coupon and the
 * node's params.
 */
export function libraryRenderer(lib: TemplateLibrary, opts: EngineRendererOptions = {}): TemplateRenderer {
  const surveyParam = (input: RenderInput, customerId: string): { surveyUrl?: string } => {
    if (!opts.surveyUrl || typeof input.params?.surveyUrl === "string") return {};
    const kind = input.params?.survey === "nps" ? "nps" : "csat";
    const journeyId = input.journey.id;
    return {
      surveyUrl: opts.surveyUrl({ customerId, kind, ...(journeyId !== undefined ? { journeyId } : {}) }),
    };
  };
  return {
    has: (name) => lib.has(name),
    render(name: string, input: RenderInput): RenderedMessage {
      const pin = input.pin as { version?: unknown } | undefined;
      const ref =
        pin && typeof pin.version === "number" && lib.versions(name).includes(pin.version)
          ? { name, version: pin.version }
          : name;
      // A coupon template reached without an issue_coupon step still gets one code per delivery, derived as
      // issue_coupon derives it, so the spec's win-back example sends a usable offer.
      const issued = input.vars.couponCode;
      const coupon =
        typeof issued === "string"
          ? issued
          : input.idempotencyKey
            ? couponCodeFor(name, input.idempotencyKey)
            : undefined;
      const customerId = String(input.customer.id);
      return lib.render(ref, {
        customer: input.customer,
        timezone: input.timezone,
        journey: input.journey,
        event: input.event,
        now: new Date(input.now),
        ...(coupon !== undefined ? { coupon } : {}),
        ...(opts.unsubscribeUrl
          ? { unsubscribeUrl: opts.unsubscribeUrl(customerId, lib.get(name)?.channel ?? "email") }
          : {}),
        params: { ...input.vars, ...surveyParam(input, customerId), ...input.params },
      });
    },
  };
}
