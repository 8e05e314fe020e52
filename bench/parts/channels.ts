import { benchChannels } from "../channels";

process.stdout.write(JSON.stringify(await benchChannels()));
