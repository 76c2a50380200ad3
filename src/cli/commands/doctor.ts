import { counted } from '../../counted.js';
import { repositoryUrls } from '../../disk-plan/composer-files.js';
import { planBuildOnDisk } from '../../disk-plan/plan-on-disk.js';
import { PlanProblemsError } from '../../errors.js';
import { composerRules } from '../../model/composer-version.js';
import { credentialWinners, missesItsSecret } from '../../plan/credential-winners.js';
import { buildTargetFor, fetchSecrets, withAuthTarget, withBuildTarget } from '../build-input.js';
import { defineCommand } from '../command.js';
import type { Context } from '../context.js';
import { outputFormat, withOutputFormat } from '../output-format.js';
import { missedSecretProblem, renderDoctorJson, renderDoctorTable } from '../render/doctor.js';
import { PLAN_FORMATS } from './plan.js';

export const doctorCommand = (ctx: Context) =>
  defineCommand({
    command: 'doctor',
    describe:
      'For each host with a credential anywhere Composer reads, which one the running Composer sends, ' +
      'what it shadows, and what looks wrong (values never shown)',
    builder: (y) =>
      withOutputFormat(
        withAuthTarget(withBuildTarget(y)),
        PLAN_FORMATS,
        'table',
        'table: one row per host; json: the answer as a JSON document',
      ).example('composer-secrets doctor --site shop --env dev', 'which credential Composer would send to each host, and what it shadows'),
    handler: async (args) => {
      const format = outputFormat(args, 'table');
      const target = await buildTargetFor(ctx, args);
      const { plan, payload, state } = await planBuildOnDisk(ctx, { ...(await fetchSecrets(ctx, args)), ...target });
      const hosts = credentialWinners({
        rules: composerRules(plan.composer.version),
        target: state.target,
        places: {
          secrets: payload.fromSecrets,
          // The target's own file is read as `existing` (its original, should a run have crashed).
          project: state.target === 'project' ? state.existing : state.projectFile,
          global: state.target === 'home' ? state.existing : state.globalFile,
          composerJson: state.composerJsonConfig,
          composerAuth: state.callerComposerAuth,
        },
        repositoryUrls: await repositoryUrls(ctx.fs, target.dir),
        nowSeconds: Math.floor(Date.now() / 1000),
      });
      const problems = [...plan.problems, ...hosts.filter(missesItsSecret).map(missedSecretProblem)];
      const report = { composer: plan.composer, hosts, problems };
      ctx.stdout.write(format === 'json' ? renderDoctorJson(report) : renderDoctorTable(report));
      if (problems.length > 0) {
        throw new PlanProblemsError(`site ${plan.site} (${plan.environment}): ${counted(problems.length, 'problem')}, listed above`, []);
      }
    },
  });
