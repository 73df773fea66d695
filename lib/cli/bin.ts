#!/usr/bin/env node
// The `wechatpay` and `wechatpay-ts` commands (package.json `bin`): runs the command line on this process's arguments.
import { main } from './main';

void main();
