import { benchFlow } from "../flow";

process.stdout.write(JSON.stringify(await benchFlow()));
