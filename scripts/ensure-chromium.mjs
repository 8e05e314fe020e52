#!/usr/bin/env node
// Makes sure Debian's chromium is installed for the browser tests (CI is a fresh Debian machine, run as root).
import { existsSync } from "node:fs";
import { execSync } from "node:child_process";

const CHROMIUM = "/usr/bin/chromium";

if (existsSync(CHROMIUM)) {
  console.log(`ensure-chromium: ${CHROMIUM} is present`);
} else {
  console.log(`ensure-chromium: ${CHROMIUM} is missing; installing Debian's chromium package`);
  const sudo = typeof process.getuid === "function" && process.getuid() !== 0 ? "sudo " : "";
  try {
    execSync(
      `${sudo}apt-get update && ${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium`,
      {
        stdio: "inherit",
        shell: "/bin/sh",
      },
    );
  } catch (err) {
    console.error(`ensure-chromium: could not install chromium: ${String(err)}`);
    process.exit(1);
  }
  if (!existsSync(CHROMIUM)) {
    console.error(`ensure-chromium: apt-get finished but ${CHROMIUM} is still missing`);
    process.exit(1);
  }
  console.log(`ensure-chromium: installed ${CHROMIUM}`);
}
