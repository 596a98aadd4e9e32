/**
 * Formatting for the Containers and Images views, and the source of an inserted run cell.
 *
 * Pure: no JupyterLab or DOM imports.
 */

/** A container port as the server reports it. */
export interface IPort {
  ip: string;
  private: number;
  public: number | null;
  type: string;
  /** Where a browser opens it (the server applies the same rule as the cells' panels). */
  url?: string | null;
}

/** A size in bytes the way `docker images` shows it (decimal units, 3 significant digits). */
export function formatSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const shown = unit === 0 ? String(Math.round(value)) : String(Number(value.toPrecision(3)));
  return `${shown}${units[unit]}`;
}

/** How long ago `created` (seconds since the epoch) was, in docker's words ("3 hours ago"). */
export function formatAge(created: number, now: number = Date.now() / 1000): string {
  const seconds = Math.max(0, Math.floor(now - created));
  return `${humanDuration(seconds)} ago`;
}

/** docker's units.HumanDuration. */
export function humanDuration(seconds: number): string {
  if (seconds < 1) {
    return 'Less than a second';
  }
  if (seconds === 1) {
    return '1 second';
  }
  if (seconds < 60) {
    return `${seconds} seconds`;
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes === 1) {
    return 'About a minute';
  }
  if (minutes < 60) {
    return `${minutes} minutes`;
  }
  const hours = Math.round(seconds / 3600);
  if (hours === 1) {
    return 'About an hour';
  }
  if (hours < 48) {
    return `${hours} hours`;
  }
  if (hours < 24 * 7 * 2) {
    return `${Math.floor(hours / 24)} days`;
  }
  if (hours < 24 * 30 * 2) {
    return `${Math.floor(hours / 24 / 7)} weeks`;
  }
  if (hours < 24 * 365 * 2) {
    return `${Math.floor(hours / 24 / 30)} months`;
  }
  return `${Math.floor(hours / 24 / 365)} years`;
}

/**
 * A port as text (`127.0.0.1:8080->80/tcp`, the host port first, as `docker ps` shows it)
 * and the link the server computed for it (through jupyter-server-proxy when it is loaded
 * and the port is on the server's machine, else direct), or none.
 */
export function portLink(port: IPort): { text: string; href: string | null } {
  if (!port.public) {
    return { text: `${port.private}/${port.type}`, href: null };
  }
  const ip = port.ip && port.ip !== '0.0.0.0' && port.ip !== '::' ? port.ip : '';
  const text = `${ip ? (ip.includes(':') ? `[${ip}]` : ip) + ':' : ''}${port.public}->${port.private}/${port.type}`;
  return { text, href: port.url || null };
}

/** The line shown while no Docker engine answers the server. */
export function engineDownLine(message: string): string {
  return `${message.replace(/[.;\s]+$/, '')}; retrying`;
}

/** The image reference to run: its first tag, else its short ID. */
export function imageRef(image: { tags: string[]; short_id: string }): string {
  return image.tags.length ? image.tags[0] : image.short_id;
}

/** Quote a word for the magic line when the shell would split or expand it. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Placeholder body of an inserted run cell (the container's stdin). */
export const BODY_PLACEHOLDER = "# the cell body is the container's stdin: type its input here";

/** The source of a cell opening a shell in the running container `name` (`docker exec -it NAME sh`). */
export function terminalCellSource(name: string): string {
  return `%docker_exec -it ${shellQuote(name)} sh`;
}

/** The engine line of a side panel's header: the server's engine as docker would name it. */
export function engineLine(engine: { description: string; default: boolean }): string {
  return `engine: ${engine.description}${engine.default ? '' : ' (not the default engine)'}`;
}

/** The source of a run cell for `image`. */
export function runCellSource(image: string): string {
  return `%%docker_run --rm ${shellQuote(image)}\n${BODY_PLACEHOLDER}`;
}
