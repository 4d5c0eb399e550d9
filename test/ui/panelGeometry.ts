// The panel's width and what fits in it, measured from the DOM of the real webview (not from a
// screenshot): `setPanelWidth` drags the sash between the editor and the panel as a person would;
// `cutLabels` lists every label in view that something clips.
import type { Frame, Page } from 'playwright-core';

/** The panel's width in CSS pixels: its webview iframe's. */
export async function panelWidth(frame: Frame): Promise<number> {
  const box = await (await frame.frameElement()).boundingBox();
  if (!box) throw new Error('the panel\'s iframe has no box: is it shown?');
  return box.width;
}

/**
 * Drags the sash on the panel's left edge until the panel is `target` px wide (±1). The sash is
 * the vertical one nearest the iframe's left edge, within the editor part.
 */
export async function setPanelWidth(page: Page, frame: Frame, target: number): Promise<number> {
  for (let attempt = 0; attempt < 6; attempt += 1) {
    const iframe = await (await frame.frameElement()).boundingBox();
    if (!iframe) throw new Error('the panel\'s iframe has no box');
    const width = iframe.width;
    if (Math.abs(width - target) <= 1) return width;
    const sash = await page.evaluate((left) => {
      const sashes = [...document.querySelectorAll<HTMLElement>('.part.editor .monaco-sash.vertical')]
        .map((s) => s.getBoundingClientRect())
        .filter((r) => r.height > 100);
      sashes.sort((a, b) => Math.abs(a.left + a.width / 2 - left) - Math.abs(b.left + b.width / 2 - left));
      const r = sashes[0];
      return r ? { x: r.left + r.width / 2, y: r.top + r.height / 2 } : null;
    }, iframe.x);
    if (!sash) throw new Error('no sash between the editor and the panel');
    await page.mouse.move(sash.x, sash.y);
    await page.mouse.down();
    await page.mouse.move(sash.x + (width - target) / 2, sash.y, { steps: 4 });
    await page.mouse.move(sash.x + (width - target), sash.y, { steps: 4 });
    await page.mouse.up();
    // The webview follows its editor group's layout on the next frame.
    await page.waitForFunction(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true)))));
  }
  return panelWidth(frame);
}

/** Resolves after two animation frames in the panel: the lines between tables and frames are drawn. */
export async function settled(frame: Frame): Promise<void> {
  await frame.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true)))));
}

export interface CutLabel {
  readonly what: string;
  readonly text: string;
  /** What cuts it: "viewport", "ellipsis", or the clipping ancestor's class. */
  readonly by: string;
}

/**
 * Labels in view that are not shown whole: every page-table row's frame (its leading frame
 * number, `.lead`, when the cell has one: a run's range may shorten after it) and page, and every
 * frame box's number. In view: the row's middle is inside its scrolling list and the window.
 * Cut: the label's text box reaches outside an ancestor that clips (overflow other than visible,
 * or paint containment) or outside the window, or the label itself overflows (an ellipsis).
 */
export async function cutLabels(frame: Frame): Promise<{ checked: number; cut: CutLabel[] }> {
  return frame.evaluate<{ checked: number; cut: CutLabel[] }>(CUT_LABELS);
}

/**
 * In the page, as a string: tsx's transform names arrow functions through a helper that only
 * exists in Node, so a function passed to evaluate() would not run there.
 */
const CUT_LABELS = `(() => {
  const cut = [];
  let checked = 0;
  const viewport = { left: 0, right: document.documentElement.clientWidth, top: 0, bottom: window.innerHeight };
  function clips(el) {
    const style = getComputedStyle(el);
    return style.overflowX !== 'visible' || /paint|strict|content/.test(style.contain);
  }
  function inView(row) {
    const r = row.getBoundingClientRect();
    const middle = r.top + r.height / 2;
    const list = row.closest('.pte-body, .frames-body');
    const box = list ? list.getBoundingClientRect() : null;
    if (box && (middle < box.top || middle > box.bottom)) return false;
    return r.height > 0 && middle >= viewport.top && middle <= viewport.bottom;
  }
  function check(what, label) {
    checked += 1;
    const range = document.createRange();
    range.selectNodeContents(label);
    const text = range.getBoundingClientRect();
    const name = (label.textContent || '').trim();
    if (getComputedStyle(label).display !== 'inline' && label.scrollWidth > label.clientWidth + 0.5) {
      cut.push({ what, text: name, by: 'ellipsis' });
      return;
    }
    if (text.left < viewport.left - 0.5 || text.right > viewport.right + 0.5) {
      cut.push({ what, text: name, by: 'viewport' });
      return;
    }
    for (let el = label; el && el !== document.documentElement; el = el.parentElement) {
      if (!clips(el)) continue;
      const box = el.getBoundingClientRect();
      const left = box.left + el.clientLeft;
      const right = left + el.clientWidth;
      if (text.left < left - 0.5 || text.right > right + 0.5) {
        cut.push({ what, text: name, by: el.tagName.toLowerCase() + '.' + [...el.classList].join('.') });
        return;
      }
    }
  }
  for (const row of document.querySelectorAll('.pte-row[data-row]:not(.loading)')) {
    if (!inView(row)) continue;
    const owner = row.closest('[data-process]');
    const process = owner ? owner.getAttribute('data-process') : '?';
    const frameCell = row.querySelector('.cell.frame');
    if (frameCell) check(process + ' row ' + row.dataset.row + ' frame', frameCell.querySelector('.lead') || frameCell);
    const pageCell = row.querySelector('.cell.page');
    if (pageCell) check(process + ' row ' + row.dataset.row + ' page', pageCell.querySelector('.lead') || pageCell);
  }
  for (const box of document.querySelectorAll('.frame-box')) {
    const no = box.querySelector('.frame-no');
    if (no && inView(box)) check('frame box', no.querySelector('.lead') || no);
  }
  return { checked, cut };
})()`;
