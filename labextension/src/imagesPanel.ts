/**
 * The Images view: local images with tags, size and age, and "Insert run cell", which adds a
 * `%%docker_run --rm IMAGE` cell below the active cell of the current notebook.
 */

import { api, IImage } from './api';
import { h } from './dom';
import { formatAge, formatSize } from './format';
import { RefreshingPanel } from './refreshingPanel';

export interface IImagesPanelOptions {
  /** Called with the image reference when "Insert run cell" is clicked. */
  insert: (image: string) => void | Promise<void>;
  refreshInterval: number;
}

export class ImagesPanel extends RefreshingPanel {
  private _list: HTMLElement;
  private _status: HTMLElement;
  private _insert: IImagesPanelOptions['insert'];

  constructor(options: IImagesPanelOptions) {
    // Images change less often than containers: refresh at a quarter of the pace.
    super(options.refreshInterval, 4);
    this.id = 'runmagic-images';
    this.addClass('rm-panel');
    this.addClass('rm-images-panel');
    this.title.caption = 'Docker images';
    this._insert = options.insert;
    const refresh = h('button', { class: 'rm-button rm-refresh', title: 'Refresh now' }, 'Refresh');
    refresh.addEventListener('click', () => void this.refresh());
    this._status = h('div', { class: 'rm-status', role: 'status' });
    this._list = h('div', { class: 'rm-list' });
    this.node.append(h('div', { class: 'rm-header' }, h('h2', {}, 'Images'), refresh), this._status, this._list);
  }

  async refresh(): Promise<void> {
    try {
      this._render(await api.images());
      this._status.textContent = '';
      this._status.classList.remove('rm-error');
    } catch (error) {
      this._status.textContent = `Could not list images: ${(error as Error).message}`;
      this._status.classList.add('rm-error');
    }
  }

  private _render(images: IImage[]): void {
    this._list.replaceChildren();
    if (!images.length) {
      this._list.append(h('div', { class: 'rm-empty' }, 'No local images.'));
      return;
    }
    for (const image of images) {
      const refs = image.tags.length ? image.tags : [image.short_id];
      for (const ref of refs) {
        const insert = h(
          'button',
          { class: 'rm-button rm-insert', 'data-action': 'insert', title: `Add a %%docker_run --rm ${ref} cell below the active cell` },
          'Insert run cell'
        );
        insert.addEventListener('click', () => void this._insert(ref));
        this._list.append(
          h(
            'div',
            { class: 'rm-item rm-image-item', 'data-ref': ref, 'data-id': image.id },
            h('div', { class: 'rm-item-head' }, h('span', { class: 'rm-name' }, image.tags.length ? ref : '<none>')),
            h('div', { class: 'rm-sub' }, `${image.short_id} · ${formatSize(image.size)} · created ${formatAge(image.created)}`),
            h('div', { class: 'rm-actions' }, insert)
          )
        );
      }
    }
  }
}
