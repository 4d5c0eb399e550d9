// A validator for the `cow-lab run --json` object of issue 3, shared by the JSON, CLI and fuzz
// tests: exact keys in the documented order and the documented types.

/** Validates the shape of a parsed --json object; returns the problems found. */
export function contractProblems(value: unknown): string[] {
  const problems: string[] = [];
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const keys = (v: Record<string, unknown>, expected: string[], at: string) => {
    if (JSON.stringify(Object.keys(v)) !== JSON.stringify(expected)) problems.push(`${at}: keys ${JSON.stringify(Object.keys(v))}, expected ${JSON.stringify(expected)}`);
  };
  if (!isObject(value)) return ['top level is not an object'];
  keys(value, ['checkpoints', 'expectations'], 'top');
  const checkpoints = value.checkpoints;
  if (!Array.isArray(checkpoints) || checkpoints.length === 0) return [...problems, 'checkpoints is not a non-empty array'];
  checkpoints.forEach((c: unknown, i) => {
    const at = `checkpoints[${i}]`;
    if (!isObject(c)) return void problems.push(`${at} is not an object`);
    keys(c, ['name', 'line', 'processes', 'volumes', 'stats', 'pipes', 'memory'], at);
    if (!isObject(c.pipes)) problems.push(`${at}.pipes is not an object`);
    else {
      for (const [pipe, values] of Object.entries(c.pipes)) {
        if (!Array.isArray(values) || values.some((v) => typeof v !== 'string')) problems.push(`${at}.pipes.${pipe} is not an array of strings`);
      }
    }
    if (typeof c.name !== 'string') problems.push(`${at}.name is not a string`);
    if (!Number.isInteger(c.line) || (c.line as number) < 0) problems.push(`${at}.line is not a line number`);
    if (!isObject(c.processes)) problems.push(`${at}.processes is not an object`);
    else {
      for (const [process, regions] of Object.entries(c.processes)) {
        if (!isObject(regions)) {
          problems.push(`${at}.processes.${process} is not an object`);
          continue;
        }
        for (const [region, pages] of Object.entries(regions)) {
          if (!Array.isArray(pages)) {
            problems.push(`${at}.${process}.${region} is not an array`);
            continue;
          }
          pages.forEach((p: unknown, n) => {
            const pat = `${at}.${process}.${region}[${n}]`;
            if (!isObject(p)) return void problems.push(`${pat} is not an object`);
            // Absent pages carry no counts; present ones (the zero page too) carry both; a page one
            // PMD entry maps (a `huge` region) adds "pmd": true last, and no other page has the key.
            keys(p, p.frame === null ? ['frame', 'writable'] : 'pmd' in p ? ['frame', 'writable', 'refcount', 'mapcount', 'pmd'] : ['frame', 'writable', 'refcount', 'mapcount'], pat);
            if ('pmd' in p && p.pmd !== true) problems.push(`${pat}.pmd is ${JSON.stringify(p.pmd)}, expected true or no key`);
            if (p.frame !== null && (!Number.isInteger(p.refcount) || !Number.isInteger(p.mapcount) || (p.refcount as number) < (p.mapcount as number) || (p.mapcount as number) < 0)) {
              problems.push(`${pat}: refcount ${JSON.stringify(p.refcount)}, mapcount ${JSON.stringify(p.mapcount)}`);
            }
            if (!(p.frame === null || p.frame === 'zero' || (Number.isInteger(p.frame) && (p.frame as number) >= 0))) problems.push(`${pat}.frame is ${JSON.stringify(p.frame)}`);
            if (typeof p.writable !== 'boolean') problems.push(`${pat}.writable is not a boolean`);
          });
        }
      }
    }
    // Storage (issue 13): "volumes": { V: { FILE: [ { "block": number | null } … ] } }.
    if (!isObject(c.volumes)) problems.push(`${at}.volumes is not an object`);
    else {
      for (const [volume, files] of Object.entries(c.volumes)) {
        if (!isObject(files)) {
          problems.push(`${at}.volumes.${volume} is not an object`);
          continue;
        }
        for (const [file, blocks] of Object.entries(files)) {
          if (!Array.isArray(blocks)) {
            problems.push(`${at}.volumes.${volume}.${file} is not an array`);
            continue;
          }
          blocks.forEach((b: unknown, n) => {
            const bat = `${at}.volumes.${volume}.${file}[${n}]`;
            if (!isObject(b)) return void problems.push(`${bat} is not an object`);
            keys(b, ['block'], bat);
            if (!(b.block === null || (Number.isInteger(b.block) && (b.block as number) > 0))) problems.push(`${bat}.block is ${JSON.stringify(b.block)}`);
          });
        }
      }
    }
    if (!isObject(c.stats)) problems.push(`${at}.stats is not an object`);
    else {
      keys(c.stats, ['frames', 'copies', 'reuses', 'faults', 'blocks', 'blocksCopied'], `${at}.stats`);
      for (const [k, v] of Object.entries(c.stats)) if (!Number.isInteger(v) || (v as number) < 0) problems.push(`${at}.stats.${k} is ${JSON.stringify(v)}`);
    }
    // Issue 17: one { rss, pss, uss } per process listed in "processes", same order; pages.
    if (!isObject(c.memory)) problems.push(`${at}.memory is not an object`);
    else {
      if (isObject(c.processes) && JSON.stringify(Object.keys(c.memory)) !== JSON.stringify(Object.keys(c.processes))) problems.push(`${at}.memory lists other processes than processes`);
      for (const [process, f] of Object.entries(c.memory)) {
        if (!isObject(f)) {
          problems.push(`${at}.memory.${process} is not an object`);
          continue;
        }
        keys(f, ['rss', 'pss', 'uss'], `${at}.memory.${process}`);
        if (!Number.isInteger(f.rss) || (f.rss as number) < 0) problems.push(`${at}.memory.${process}.rss is ${JSON.stringify(f.rss)}`);
        if (!Number.isInteger(f.uss) || (f.uss as number) < 0) problems.push(`${at}.memory.${process}.uss is ${JSON.stringify(f.uss)}`);
        if (typeof f.pss !== 'number' || !(f.pss >= 0)) problems.push(`${at}.memory.${process}.pss is ${JSON.stringify(f.pss)}`);
      }
    }
  });
  const last = checkpoints[checkpoints.length - 1] as Record<string, unknown> | undefined;
  if (last?.name !== 'end') problems.push('the last checkpoint is not "end"');
  if (!Array.isArray(value.expectations)) return [...problems, 'expectations is not an array'];
  value.expectations.forEach((e: unknown, i) => {
    const at = `expectations[${i}]`;
    if (!isObject(e)) return void problems.push(`${at} is not an object`);
    keys(e, ['line', 'passed', 'message'], at);
    if (!Number.isInteger(e.line) || (e.line as number) < 1) problems.push(`${at}.line is not a line number`);
    if (typeof e.passed !== 'boolean') problems.push(`${at}.passed is not a boolean`);
    if (typeof e.message !== 'string' || e.message === '') problems.push(`${at}.message is not a sentence`);
  });
  return problems;
}
