// Leaflet, loaded on first use from the copy griha serves, with the deployment's tile layer.
import { config } from './api.js';
import { loadScript, loadStyle } from './dom.js';

export async function leaflet() {
  loadStyle('/assets/vendor/leaflet/leaflet.css');
  await loadScript('/assets/vendor/leaflet/leaflet.js');
  return window.L;
}

// A map in `el` with the configured tiles; `label` names it for screen readers.
export async function makeMap(el, { center = [22.5, 79], zoom = 5, label = 'Map' } = {}) {
  const [L, cfg] = await Promise.all([leaflet(), config()]);
  el.setAttribute('role', 'region');
  el.setAttribute('aria-label', label);
  const map = L.map(el, { center, zoom, zoomSnap: 1, keyboard: true });
  if (cfg.tile_url)
    L.tileLayer(cfg.tile_url, { maxZoom: 19, attribution: escapeText(cfg.tile_attribution) }).addTo(map);
  return { L, map };
}

// Leaflet puts attributions in as HTML; the configured text is shown as text.
function escapeText(s) {
  const d = document.createElement('div');
  d.textContent = s || '';
  return d.innerHTML;
}
