#!/usr/bin/env node
/** The `scorelab` command line. Each subcommand is a thin shell over a library function. */
import { Command } from "commander";
import { initBackend, describeBackend } from "../tensor";

const program = new Command();
program.name("scorelab").description("scorelab: a notebook kernel and library for score-based generative models");

program.command("backend").description("print the tensor backend the ladder chooses on this machine, and why").action(async () => {
  const info = await initBackend();
  console.log(describeBackend(info));
});

program.command("main").description("the main job (npm start)").action(async () => {
  const info = await initBackend();
  console.log(`scorelab: ${describeBackend(info)}`);
});

program.parseAsync(process.argv).catch((e: unknown) => {
  console.error(`scorelab: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
