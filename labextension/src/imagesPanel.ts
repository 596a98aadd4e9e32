/**
 * The Images view: local images with tags, size, age and the containers made from them,
 * filtered by a part of a name or ID; per image: explore (the explorer in a main-area tab),
 * "Insert run cell" (a `%%docker_run --rm IMAGE` cell below the active cell of the current
 * notebook), tag (a dialog) and remove (confirmed; never forced: an image in use stays,
 * and docker's refusal is shown). The header names the server's engine.
 */
import { Dialog, InputDialog, showDialog } from '@jupyterlab/apputils';

import { api, IImage } from './api';
import { h } from './dom';
import { engineLine, formatAge, formatSize } from './format';
import { RefreshingPanel } from './refreshingPanel';

export interface IImagesPanelOptions {
  /** Called with the image reference when "Insert run cell" is clicked. */
  insert: (image: string) => void | Promise<void>;
  /** Called with the image's ID and the reference to show when "Explore" is clicked. */
  explore: (id: string, ref: string) => void;
  refreshInterval: number;
}

/** Milliseconds of typing pause before the filter asks the server. */
const FILTER_DELAY = 250;

export class ImagesPanel extends RefreshingPanel {
  private _list: HTMLElement;
  private _status: HTMLElement;
  private _message: HTMLElement;
  private _engine: HTMLElement;
  private _filter: HTMLInputElement;
  private _filterTimer: number | undefined;
  private _generation = 0;
  private _options: IImagesPanelOptions;

  constructor(options: IImagesPanelOptions) {
    // Images change less often than containers: refresh at a quarter of the pace.
    super(options.refreshInterval, 4);
    this.id = 'runmagic-images';
    this.addClass('rm-panel');
    this.addClass('rm-images-panel');
    this.title.caption = 'Docker images';
    this._options = options;
    const refresh = h('button', { class: 'rm-button rm-refresh', title: 'Refresh now' }, 'Refresh');
    refresh.addEventListener('click', () => void this.refresh());
    this._filter = h('input', {
      class: 'rm-filter rm-image-filter',
      type: 'search',
      placeholder: 'Filter by name or ID',
      'aria-label': 'Filter images by name or ID'
    });
    this._filter.addEventListener('input', () => {
      window.clearTimeout(this._filterTimer);
      this._filterTimer = window.setTimeout(() => void this.refresh(), FILTER_DELAY);
    });
    this._status = h('div', { class: 'rm-status', role: 'status' });
    this._message = h('div', { class: 'rm-status rm-image-message', role: 'status' });
    this._list = h('div', { class: 'rm-list' });
    this._engine = h('div', { class: 'rm-engine' });
    this.node.append(
      h('div', { class: 'rm-header' }, h('h2', {}, 'Images'), refresh, this._filter),
      this._engine,
      this._status,
      this._message,
      this._list
    );
  }

  async refresh(): Promise<void> {
    const generation = ++this._generation;
    const name = this._filter.value.trim();
    try {
      const page = await api.images(name);
      if (generation !== this._generation) {
        return; // a newer request (the filter changed) answers for the view
      }
      this._engine.textContent = engineLine(page.engine);
      this._engine.dataset.default = String(page.engine.default);
      this._render(page.images, name);
      this._status.textContent = '';
      this._status.classList.remove('rm-error');
    } catch (error) {
      if (generation === this._generation) {
        this._status.textContent = `Could not list images: ${(error as Error).message}`;
        this._status.classList.add('rm-error');
      }
    }
  }

  private _say(text: string, error = false): void {
    this._message.textContent = text;
    this._message.classList.toggle('rm-error', error);
  }

  private _render(images: IImage[], name: string): void {
    this._list.replaceChildren();
    if (!images.length) {
      this._list.append(h('div', { class: 'rm-empty' }, name ? `No image matches “${name}”.` : 'No local images.'));
      return;
    }
    for (const image of images) {
      const refs = image.tags.length ? image.tags : [image.short_id];
      for (const ref of refs) {
        this._list.append(this._item(image, ref));
      }
    }
  }

  private _item(image: IImage, ref: string): HTMLElement {
    const button = (action: string, text: string, title: string, run: () => unknown) => {
      const b = h('button', { class: `rm-button rm-${action}`, 'data-action': action, title }, text);
      b.addEventListener('click', () => void run());
      return b;
    };
    const users = image.containers ?? [];
    return h(
      'div',
      { class: 'rm-item rm-image-item', 'data-ref': ref, 'data-id': image.id },
      h('div', { class: 'rm-item-head' }, h('span', { class: 'rm-name' }, image.tags.length ? ref : '<none>')),
      h('div', { class: 'rm-sub' }, `${image.short_id} · ${formatSize(image.size)} · created ${formatAge(image.created)}`),
      users.length
        ? h('div', { class: 'rm-image-users', title: users.join('\n') }, `used by ${users.length === 1 ? users[0] : `${users.length} containers: ${users.join(', ')}`}`)
        : null,
      h(
        'div',
        { class: 'rm-actions' },
        button('explore', 'Explore', 'Config, layers, filesystem and wasted space', () => this._options.explore(image.id, ref)),
        button('insert', 'Insert run cell', `Add a %%docker_run --rm ${ref} cell below the active cell`, () => this._options.insert(ref)),
        button('tag', 'Tag', `docker tag ${ref} …`, () => this._tag(image, ref)),
        button('remove', 'Remove', `docker rmi ${ref}`, () => this._remove(image, ref))
      )
    );
  }

  private async _tag(image: IImage, ref: string): Promise<void> {
    const answer = await InputDialog.getText({
      title: `Tag ${ref}`,
      label: 'New reference (repository:tag)',
      placeholder: 'myrepo/name:tag',
      okLabel: 'Tag'
    });
    const target = (answer.value ?? '').trim();
    if (!answer.button.accept || !target) {
      return;
    }
    try {
      await api.tagImage(image.id, target);
      this._say(`Tagged ${ref} as ${target}`);
    } catch (error) {
      this._say(`Tag failed: ${(error as Error).message}`, true);
    }
    await this.refresh();
  }

  private async _remove(image: IImage, ref: string): Promise<void> {
    const untagOnly = image.tags.length > 1;
    const answer = await showDialog({
      title: 'Remove image',
      body: untagOnly
        ? `Remove the tag ${ref}? The image keeps its other tags.`
        : `Remove ${ref} (${image.short_id})? Images in use by a container are not removed.`,
      buttons: [Dialog.cancelButton(), Dialog.warnButton({ label: 'Remove' })]
    });
    if (!answer.button.accept) {
      return;
    }
    try {
      await api.removeImage(image.tags.length ? ref : image.id);
      this._say(`Removed ${ref}`);
    } catch (error) {
      this._say(`Remove failed: ${(error as Error).message}`, true);
    }
    await this.refresh();
  }
}
