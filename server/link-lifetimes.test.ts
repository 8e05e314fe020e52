import { describe, expect, it } from "vitest";
import { linkLifetimes } from "./link-lifetimes";

describe("link lifetimes", () => {
  it("default to 90 days for unsubscribe links and 30 for surveys, and refuse nonsense at start-up", () => {
    expect(linkLifetimes({})).toEqual({ unsubscribeDays: 90, surveyDays: 30 });
    expect(linkLifetimes({ REKINDLE_UNSUBSCRIBE_LINK_DAYS: "365", REKINDLE_SURVEY_LINK_DAYS: "7" })).toEqual({
      unsubscribeDays: 365,
      surveyDays: 7,
    });
    expect(() => linkLifetimes({ REKINDLE_UNSUBSCRIBE_LINK_DAYS: "10" })).toThrow(
      /REKINDLE_UNSUBSCRIBE_LINK_DAYS/,
    );
    expect(() => linkLifetimes({ REKINDLE_SURVEY_LINK_DAYS: "soon" })).toThrow(/whole number of days/);
  });
});
