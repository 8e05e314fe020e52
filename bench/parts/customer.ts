import { benchCustomer } from "../customer";

process.stdout.write(JSON.stringify(await benchCustomer()));
