import { LabIcon } from '@jupyterlab/ui-components';

const containersSvg = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <path d="M3 6h18v4H3zM3 11h18v4H3zM3 16h18v4H3z" opacity="0.85"/>
    <rect x="5" y="7.5" width="2" height="1" fill="#fff"/><rect x="5" y="12.5" width="2" height="1" fill="#fff"/>
    <rect x="5" y="17.5" width="2" height="1" fill="#fff"/>
  </g>
</svg>`;

const imagesSvg = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <path d="M12 2 3 7v10l9 5 9-5V7zm0 2.3L18.7 8 12 11.7 5.3 8zM5 9.7l6 3.3v6.7l-6-3.3zm8 10V13l6-3.3v6.7z"/>
  </g>
</svg>`;

export const containersIcon = new LabIcon({ name: 'runmagic:containers', svgstr: containersSvg });
export const imagesIcon = new LabIcon({ name: 'runmagic:images', svgstr: imagesSvg });
