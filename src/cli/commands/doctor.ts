import { repositoryUrls } from '../../apply/auth-target.js';
import { RefusedChangeError } from '../../errors.js';
import { composerRules } from '../../model/composer-version.js';
import { credentialWinners, missesItsSecret } from '../../plan/credential-winners.js';
import { planBuildOnDisk } from '../../run/build.js';
import { buildTargetFor, fetchSecrets, withAuthTarget, withBuildTarget } from '../build-input.js';
import { defineCommand } from '../command.js';
import type { Context } from '../context.js';
import { missedSecretProblem, renderDoctorJson, renderDoctorTable } from '../render/doctor.js';

export const doctorCommand = (ctx: Context) =>
  defineCommand({
    command: 'doctor',
    describe: 'For each host with a credential anywhere Composer reads, which one the running Composer sends, what it shadows, and what looks wrong (values never shown)',
    builder: (y) => withAuthTarget(withBuildTarget(y)).option('json', { type: 'boolean', default: false, describe: 'the answer as a JSON document' }),
    handler: async (args) => {
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
      ctx.stdout.write(args.json ? renderDoctorJson(report) : renderDoctorTable(report));
      if (problems.length > 0) {
        throw new RefusedChangeError(`site ${plan.site} (${plan.environment}): ${problems.length} problem(s), listed above`, []);
      }
    },
  });
