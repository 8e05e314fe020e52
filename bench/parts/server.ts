import { benchServer } from "../server";

process.stdout.write(JSON.stringify(await benchServer()));
