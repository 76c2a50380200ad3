// Our table against Symfony Console's Table in the consolidation style, which Terminus
// prints through, for any text: column widths in terminal columns as mb_strwidth counts
// them. Debian's composer brings Symfony Console along; without it the suite is skipped.
import { existsSync } from 'node:fs';
import { execaSync } from 'execa';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { renderTerminusTable } from '../../src/cli/render/terminus-table.js';
import { hasLoneSurrogate } from '../../src/model/secret.js';
import { describeWithComposer } from './support/composer-command.js';

const SYMFONY_CONSOLE = '/usr/share/php/Symfony/Component/Console/autoload.php';

const RENDER = `
require '${SYMFONY_CONSOLE}';
use Symfony\\Component\\Console\\Output\\BufferedOutput;
use Symfony\\Component\\Console\\Helper\\Table;
use Symfony\\Component\\Console\\Helper\\TableStyle;
$out = [];
foreach (json_decode(stream_get_contents(STDIN), true) as [$headers, $rows]) {
  $output = new BufferedOutput();
  $table = new Table($output);
  $style = (new TableStyle())->setHorizontalBorderChars('-')->setVerticalBorderChars(' ')->setDefaultCrossingChar(' ');
  $table->setStyleDefinition('consolidation', $style);
  $table->setStyle('consolidation');
  $table->setHeaders($headers);
  $table->setRows($rows);
  $table->render();
  $out[] = $output->fetch();
}
echo json_encode($out);
`;

// No control characters (we show them escaped, Symfony passes them on) and no '<' (Symfony reads <tags> as styles).
const cell = fc
  .oneof(
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.array(fc.constantFrom('a', 'é', '日', '😀', '한', 'ｱ', '⌚', '\u0301', ' ', '-'), { maxLength: 6 }).map((p) => p.join('')),
  )
  .filter((s) => !hasLoneSurrogate(s) && !/[\u0000-\u001f\u007f-\u009f<]/.test(s));
const table = fc
  .integer({ min: 1, max: 4 })
  .chain((columns) =>
    fc.tuple(
      fc.array(cell, { minLength: columns, maxLength: columns }),
      fc.array(fc.array(cell, { minLength: columns, maxLength: columns }), { maxLength: 3 }),
    ),
  );

describeWithComposer("Symfony's table, byte for byte", () => {
  it.skipIf(!existsSync(SYMFONY_CONSOLE))(
    'renders any cells as Symfony Console does (measured by its wcswidth, padded by mb_strwidth)',
    () => {
      const tables = fc.sample(table, 300);
      const symfony = JSON.parse(execaSync('php', ['-r', RENDER], { input: JSON.stringify(tables) }).stdout) as string[];
      expect(tables.map(([headers, rows]) => renderTerminusTable(headers, rows))).toEqual(symfony);
    },
  );
});
