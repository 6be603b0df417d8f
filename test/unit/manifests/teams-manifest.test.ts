import assert from 'node:assert/strict';
import { createZip, manifestValues, PackageError, renderTeamsManifest } from '../../../src/cli/package-teams.ts';
import { readZip } from './read-zip.ts';

const APP_ID = '0f6e2a51-8d5c-4b3e-9a61-2c7d8e9f0a1b';
const settings = { MicrosoftAppId: APP_ID, PUBLIC_URL: 'https://bot.contoso.com/', PARTNER_DISPLAY_NAME: 'Contoso Cloud Partner' };

describe('Teams manifest template', () => {
  it('when the settings are complete, then the values name the app, the https origin and its host', () => {
    assert.deepEqual(manifestValues(settings, '1.2.3'), {
      MicrosoftAppId: APP_ID,
      PUBLIC_URL: 'https://bot.contoso.com',
      PUBLIC_HOST: 'bot.contoso.com',
      PARTNER_DISPLAY_NAME: 'Contoso Cloud Partner',
      VERSION: '1.2.3',
    });
  });

  it('when the app id is no GUID, PUBLIC_URL is http and the partner name too long, then one error names all three', () => {
    assert.throws(
      () => manifestValues({ MicrosoftAppId: 'my-bot', PUBLIC_URL: 'http://bot.contoso.com', PARTNER_DISPLAY_NAME: 'x'.repeat(33) }, '1.0.0'),
      (error: unknown) => error instanceof PackageError && /MicrosoftAppId/.test(error.message) && /PUBLIC_URL/.test(error.message) && /PARTNER_DISPLAY_NAME/.test(error.message),
    );
  });

  it('when a value holds quotes or backslashes, then the filled manifest is still the JSON the template meant', () => {
    const filled = renderTeamsManifest('{"developer":{"name":"{{NAME}}"},"list":["{{A}}-{{A}}"]}', { NAME: 'Fa "Cloud" \\ Co', A: 'x' });
    assert.deepEqual(filled, { developer: { name: 'Fa "Cloud" \\ Co' }, list: ['x-x'] });
  });

  it('when the template names a placeholder nobody fills, then packaging stops instead of shipping {{…}}', () => {
    assert.throws(() => renderTeamsManifest('{"id":"{{TEAMS_APP_ID}}"}', {}), /unknown placeholder \{\{TEAMS_APP_ID\}\}/);
  });

  it('when entries are zipped, then a reader finds the same names and bytes, and the same input gives the same archive', () => {
    const entries = [
      { name: 'manifest.json', data: Buffer.from('{"a":1}') },
      { name: 'color.png', data: Buffer.alloc(5000, 7) },
    ];
    const zip = createZip(entries);
    assert.deepEqual(readZip(zip).map((file) => [file.name, file.data.toString('hex')]), entries.map((entry) => [entry.name, entry.data.toString('hex')]));
    assert.ok(createZip(entries).equals(zip));
  });
});
