#!/usr/bin/env node
// Makes sure Debian's chromium (and CJK fonts, so the Chinese UI renders) is installed for the browser tests.
// CI is a fresh Debian machine, run as root.
import { existsSync } from "node:fs";
import { execSync } from "node:child_process";

const CHROMIUM = "/usr/bin/chromium";
const CJK_FONT_DIR = "/usr/share/fonts/opentype/noto";
const missing = [];
if (!existsSync(CHROMIUM)) missing.push("chromium");
if (!existsSync(CJK_FONT_DIR)) missing.push("fonts-noto-cjk");

if (missing.length === 0) {
  console.log(`ensure-chromium: ${CHROMIUM} and CJK fonts are present`);
} else {
  console.log(`ensure-chromium: installing Debian's ${missing.join(" ")}`);
  const sudo = typeof process.getuid === "function" && process.getuid() !== 0 ? "sudo " : "";
  try {
    execSync(
      `${sudo}apt-get update && ${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing.join(" ")}`,
      { stdio: "inherit", shell: "/bin/sh" },
    );
  } catch (err) {
    console.error(`ensure-chromium: could not install ${missing.join(" ")}: ${String(err)}`);
    process.exit(1);
  }
  if (!existsSync(CHROMIUM)) {
    console.error(`ensure-chromium: apt-get finished but ${CHROMIUM} is still missing`);
    process.exit(1);
  }
  console.log(`ensure-chromium: installed ${missing.join(" ")}`);
}
