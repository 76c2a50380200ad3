#!/usr/bin/env node
import module from 'node:module';
import { processContext } from './context.js';
import { main } from './main.js';

// Node 22+ keeps compiled code between runs; on Node 20 this is absent and nothing happens.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
process.exitCode = await main(process.argv.slice(2), processContext());
