// Look at reportc's HTML pages in the system's headless Chromium through the DevTools protocol
// (chrome-remote-interface; no browser download): axe-core's WCAG 2.1 A/AA rules, the page width
// against the viewport, and screenshots of elements.
//
//   node pagecheck.js JOBS.json RESULT.json
//
// JOBS.json: {"chromium": "/usr/bin/chromium", "jobs": [{"file": "/abs/report.html", "width": 375,
//   "height": 800, "axe": true, "shots": [{"selector": "#t3", "png": "/abs/t3.png"}]}]}
// RESULT.json: one entry per job: {"file", "width", "violations": [{id, impact, help, nodes: [target…]}],
//   "scrollWidth", "clientWidth", "overflowing": [selector…], "shots": [png…]}
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const CDP = require('chrome-remote-interface');

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars',
  '--force-device-scale-factor=1', '--font-render-hinting=none', '--remote-debugging-port=0'];

function sleep(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }

async function launch(exe) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'reportc-pagecheck-'));
  const proc = spawn(exe, [...FLAGS, `--user-data-dir=${profile}`, 'about:blank'],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Chromium did not start: ' + err)), 60000);
    proc.stderr.on('data', (chunk) => {
      err += chunk;
      const m = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(err);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    proc.on('exit', () => reject(new Error('Chromium exited: ' + err)));
  });
  return { proc, port, profile };
}

async function run(jobs, exe) {
  const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const browser = await launch(exe);
  const results = [];
  try {
    for (const job of jobs) {
      const target = await CDP.New({ port: browser.port });
      const client = await CDP({ port: browser.port, target });
      try {
        const { Page, Runtime, Emulation } = client;
        await Page.enable();
        await Emulation.setDeviceMetricsOverride({ width: job.width, height: job.height || 900,
          deviceScaleFactor: 1, mobile: job.width < 600 });
        const loaded = Page.loadEventFired();
        await Page.navigate({ url: 'file://' + job.file });
        await loaded;
        await sleep(300);
        const evaluate = async (expression) => {
          const r = await Runtime.evaluate({ expression, awaitPromise: true, returnByValue: true });
          if (r.exceptionDetails) throw new Error(JSON.stringify(r.exceptionDetails));
          return r.result.value;
        };
        const result = { file: job.file, width: job.width, shots: [] };
        Object.assign(result, await evaluate(`(() => {
          const root = document.documentElement;
          const overflowing = [];
          for (const el of document.body.querySelectorAll('*')) {
            const box = el.getBoundingClientRect();
            if (box.right > root.clientWidth + 1 && !el.closest('.table-wrap')) {
              overflowing.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : ''));
            }
          }
          return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, overflowing: overflowing.slice(0, 20) };
        })()`));
        if (job.paragraphs) {
          // the distance between consecutive paragraphs' lines, in line spacings
          result.paragraphSpacing = await evaluate(`(() => {
            const ratios = [];
            for (const p of document.querySelectorAll('p')) {
              const next = p.nextElementSibling;
              if (!next || next.tagName !== 'P' || p.closest('.signature')) continue;
              const lh = parseFloat(getComputedStyle(p).lineHeight);
              const gap = next.getBoundingClientRect().top - p.getBoundingClientRect().bottom;
              ratios.push((gap + lh) / lh);
            }
            return { pairs: ratios.length, min: ratios.length ? Math.min(...ratios) : null };
          })()`);
        }
        if (job.measure) {
          result.measured = await evaluate(`(() => {
            const out = {};
            for (const selector of ${JSON.stringify(job.measure)}) {
              const el = document.querySelector(selector);
              if (!el) { out[selector] = null; continue; }
              const cells = [...el.querySelectorAll('td, th')];
              out[selector] = {
                scrollWidth: el.scrollWidth, clientWidth: el.clientWidth,
                overflowingCells: cells.filter(c => c.scrollWidth > c.clientWidth + 1)
                  .map(c => c.textContent.slice(0, 20)),
                narrowestColumn: Math.min(...[...el.querySelectorAll('td')].map(c => c.getBoundingClientRect().width)),
              };
            }
            return out;
          })()`);
        }
        if (job.axe) {
          await evaluate(axeSource + '\n;true');
          result.violations = await evaluate(`axe.run(document, {
            runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
            resultTypes: ['violations'] }).then(r => r.violations.map(v => ({ id: v.id, impact: v.impact,
            help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 10) })))`);
        }
        for (const shot of job.shots || []) {
          const box = await evaluate(`(() => {
            const el = document.querySelector(${JSON.stringify(shot.selector)});
            if (!el) return null;
            el.scrollIntoView();
            if (${JSON.stringify(!!shot.scrollLeft)}) el.scrollLeft = ${Number(shot.scrollLeft || 0)};
            const b = el.getBoundingClientRect();
            return { x: b.left + window.scrollX, y: b.top + window.scrollY, width: b.width, height: b.height };
          })()`);
          if (!box) throw new Error('no element ' + shot.selector + ' in ' + job.file);
          const { data } = await Page.captureScreenshot({ format: 'png', captureBeyondViewport: true,
            clip: { x: Math.max(0, box.x - 4), y: Math.max(0, box.y - 4), width: Math.min(box.width + 8, job.width),
              height: box.height + 8, scale: 1 } });
          fs.writeFileSync(shot.png, Buffer.from(data, 'base64'));
          result.shots.push(shot.png);
        }
        results.push(result);
      } finally {
        await client.close();
        await CDP.Close({ port: browser.port, id: target.id });
      }
    }
  } finally {
    browser.proc.kill('SIGKILL');
    await sleep(200);
    fs.rmSync(browser.profile, { recursive: true, force: true });
  }
  return results;
}

const [jobsFile, resultFile] = process.argv.slice(2);
const spec = JSON.parse(fs.readFileSync(jobsFile, 'utf8'));
run(spec.jobs, spec.chromium || '/usr/bin/chromium').then((results) => {
  fs.writeFileSync(resultFile, JSON.stringify(results, null, 1));
}).catch((error) => {
  console.error(error && error.stack || String(error));
  process.exit(1);
});
