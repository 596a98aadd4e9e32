/**
 * A side panel that refreshes itself on a timer while it is visible, and not
 * at all while hidden (no requests to the server for a panel nobody sees).
 */
import { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';

export abstract class RefreshingPanel extends Widget {
  private _interval: number;
  private _timer: number | undefined;

  /**
   * @param refreshInterval seconds between refreshes set by the user (0: never)
   * @param pace how many of those intervals pass between two refreshes of this panel
   */
  protected constructor(refreshInterval: number, private readonly _pace: number = 1) {
    super();
    this._interval = refreshInterval;
  }

  abstract refresh(): Promise<void>;

  set refreshInterval(seconds: number) {
    this._interval = seconds;
    this._schedule();
  }

  protected onAfterShow(_msg: Message): void {
    void this.refresh();
    this._schedule();
  }

  protected onBeforeHide(_msg: Message): void {
    this._stopTimer();
  }

  dispose(): void {
    this._stopTimer();
    super.dispose();
  }

  private _stopTimer(): void {
    if (this._timer !== undefined) {
      window.clearInterval(this._timer);
      this._timer = undefined;
    }
  }

  private _schedule(): void {
    this._stopTimer();
    if (this._interval > 0 && this.isVisible) {
      this._timer = window.setInterval(() => void this.refresh(), this._interval * this._pace * 1000);
    }
  }
}
