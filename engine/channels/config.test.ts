import { describe, expect, it } from "vitest";
import { ChannelConfigError, createChannelProviders, loadChannelConfig } from "./config";

describe("channel configuration from the environment", () => {
  it("defaults every channel to the dev provider", async () => {
    const config = loadChannelConfig({});
    expect(config).toMatchObject({
      email: { provider: "dev" },
      sms: { provider: "dev" },
      webhook: { timeoutMs: 10_000, maxAttempts: 8 },
    });
    const providers = createChannelProviders(config);
    expect(providers.channels().sort()).toEqual(["email", "push", "sms", "webhook", "wechat"]);
    expect(providers.get("email")?.name).toBe("dev");
    expect(providers.get("webhook")?.name).toBe("webhook");
    await providers.close();
  });

  it("reads SMTP and HTTP gateways", async () => {
    const config = loadChannelConfig({
      REKINDLE_EMAIL_PROVIDER: "smtp",
      REKINDLE_SMTP_HOST: "127.0.0.1",
      REKINDLE_SMTP_PORT: "2525",
      REKINDLE_SMTP_SECURE: "false",
      REKINDLE_EMAIL_FROM: "hello@shop.example.com",
      REKINDLE_SMS_PROVIDER: "http",
      REKINDLE_SMS_URL: "http://127.0.0.1:9/sms",
      REKINDLE_SMS_TOKEN: "t",
      REKINDLE_SMS_BODY: '{"to":"{{to}}","text":"{{text}}"}',
      REKINDLE_SMS_HEADERS: '{"x-account":"acme"}',
      REKINDLE_WEBHOOK_SECRET: "0123456789abcdef0123",
      REKINDLE_WEBHOOK_MAX_ATTEMPTS: "5",
    });
    expect(config.email).toEqual({
      provider: "smtp",
      smtp: { host: "127.0.0.1", port: 2525, secure: false, from: "hello@shop.example.com" },
    });
    expect(config.sms).toEqual({
      provider: "http",
      http: {
        channel: "sms",
        url: "http://127.0.0.1:9/sms",
        bearerToken: "t",
        headers: { "x-account": "acme" },
        body: { to: "{{to}}", text: "{{text}}" },
        secret: "0123456789abcdef0123",
      },
    });
    expect(config.webhook).toEqual({ secret: "0123456789abcdef0123", timeoutMs: 10_000, maxAttempts: 5 });
    const providers = createChannelProviders(config);
    expect(providers.get("email")?.name).toBe("smtp");
    expect(providers.get("sms")?.name).toBe("http:sms");
    await providers.close();
  });

  it("names every bad variable", () => {
    let error: unknown;
    try {
      loadChannelConfig({
        REKINDLE_EMAIL_PROVIDER: "smtp",
        REKINDLE_SMS_PROVIDER: "carrier-pigeon",
        REKINDLE_PUSH_HEADERS: "not json",
        REKINDLE_WEBHOOK_SECRET: "short",
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ChannelConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/REKINDLE_SMS_PROVIDER/);
    expect(message).toMatch(/REKINDLE_PUSH_HEADERS: must be a JSON object/);
    expect(message).toMatch(/REKINDLE_WEBHOOK_SECRET/);
    expect(() => loadChannelConfig({ REKINDLE_EMAIL_PROVIDER: "smtp" })).toThrow(
      /REKINDLE_SMTP_HOST: required[\s\S]*REKINDLE_EMAIL_FROM: required/,
    );
    expect(() => loadChannelConfig({ REKINDLE_SMS_PROVIDER: "http" })).toThrow(/REKINDLE_SMS_URL: required/);
  });
});
