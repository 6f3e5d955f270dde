// Builds the gallery: every scenario under tests/scenarios/ with a title
// and a description, grouped (the stories, the ports of upstream's test
// tables, the rest), tagged, with its YAML. The page fetches the result,
// gallery.json, when the gallery is opened; it is not part of the first
// load. Run by a trunk hook: node www/gallery/build.mjs OUT.json
import { readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const scenarios = join(root, 'tests', 'scenarios');

function files(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return name === 'snapshots' ? [] : files(path);
      return name.endsWith('.yaml') ? [path] : [];
    });
}

/// A scalar as YAML writes it after `key:`: plain, quoted, or a block
/// (`>`, `|`) on the lines that follow, more indented.
function scalar(lines, i, key) {
  const m = new RegExp(`^(\\s*)${key}:\\s*(.*)$`).exec(lines[i]);
  const [, indent, rest] = m;
  if (/^[>|]/.test(rest)) {
    const body = [];
    for (let j = i + 1; j < lines.length && (lines[j].trim() === '' || lines[j].length - lines[j].trimStart().length > indent.length); j++) {
      body.push(lines[j].trim());
    }
    return rest.startsWith('>') ? body.join(' ').trim() : body.join('\n').trim();
  }
  if (rest.startsWith('"')) return JSON.parse(rest);
  if (rest.startsWith("'")) return rest.slice(1, -1).replace(/''/g, "'");
  return rest.trim();
}

/// The Scenario document's spec.title and spec.description.
function story(yaml) {
  const lines = yaml.split('\n');
  let inScenario = false;
  let inSpec = false;
  const found = {};
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^---/.test(line)) {
      if (found.title) break;
      inScenario = inSpec = false;
    } else if (/^kind:\s*Scenario\s*$/.test(line)) {
      inScenario = true;
    } else if (/^spec:\s*$/.test(line)) {
      inSpec = true;
    } else if (/^\S/.test(line)) {
      inSpec = false;
    } else if (inSpec && /^  (title|description):/.test(line)) {
      found[/^  (\w+)/.exec(line)[1]] = scalar(lines, i, line.trim().split(':')[0]);
    }
  }
  return inScenario || found.title ? found : {};
}

/// The tags the gallery filters by, read from what the scenario holds.
function tags(path, yaml) {
  const t = [];
  const has = (re) => re.test(yaml);
  if (has(/^kind:\s*PersistentVolume\s*$/m)) t.push('static');
  if (has(/^kind:\s*StorageClass\s*$/m) && !has(/no-provisioner/)) t.push('dynamic');
  else if (has(/^kind:\s*PersistentVolumeClaim\s*$/m) && !has(/^kind:\s*PersistentVolume\s*$/m)) t.push('dynamic');
  if (has(/topology\.kubernetes\.io|WaitForFirstConsumer|nodeAffinity|zone/)) t.push('topology');
  if (has(/failNode|drain:|deleteNode|taintOutOfService|NotReady/)) t.push('node failure');
  if (has(/writeData|readData/)) t.push('data');
  if (has(/delete: PersistentVolumeClaim|Released|Recycle/)) t.push('reclaim');
  if (has(/^kind:\s*StatefulSet\s*$/m)) t.push('StatefulSet');
  if (path.startsWith('upstream/')) t.push('upstream test');
  return t;
}

const groups = { stories: 'Stories', upstream: 'Upstream test tables' };
const items = files(scenarios).flatMap((file) => {
  const yaml = readFileSync(file, 'utf8');
  const { title, description } = story(yaml);
  if (!title || !description) return [];
  const path = relative(scenarios, file).split('\\').join('/');
  const topic = path.split('/')[0];
  return [{ file: path, group: groups[topic] ?? 'More scenarios', title, description, tags: tags(path, yaml), yaml }];
});
const order = ['Stories', 'More scenarios', 'Upstream test tables'];
items.sort((a, b) => order.indexOf(a.group) - order.indexOf(b.group) || a.file.localeCompare(b.file));
writeFileSync(process.argv[2], JSON.stringify(items));
console.log(`gallery: ${items.length} scenarios`);
