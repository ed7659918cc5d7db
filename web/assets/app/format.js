// Indian formats: ₹85 L, ₹1.2 Cr, 12,50,000, 1,250 sq ft; times in Asia/Kolkata.

const grouping = new Intl.NumberFormat('en-IN', { maximumFractionDigits: 0 });
const IST = 'Asia/Kolkata';

export const num = (n) => (n === null || n === undefined ? '—' : grouping.format(n));

function short(value) {
  // Up to two decimals, without trailing zeros: 1.2, 1.25, 85.
  return String(Math.round(value * 100) / 100);
}

// Prices in whole rupees: lakhs (1,00,000) and crores (1,00,00,000) as Indians say them.
export function money(n) {
  if (n === null || n === undefined) return '—';
  if (n >= 1e7) return `₹${short(n / 1e7)} Cr`;
  if (n >= 1e5) return `₹${short(n / 1e5)} L`;
  return `₹${num(n)}`;
}

// Monthly rent reads as ₹25,000/month; sale prices in lakhs and crores.
export function price(n, transaction) {
  if (n === null || n === undefined) return 'Price on request';
  const renting = transaction === 'rent' || transaction === 'lease';
  return renting ? `₹${num(n)}/month` : money(n);
}

export const area = (sqft) => (sqft ? `${num(sqft)} sq ft` : '—');

export function bhk(n, type) {
  if (n === null || n === undefined) return '';
  if (n === 0) return type === 'studio' ? 'Studio' : '1 RK';
  return n >= 5 ? '5+ BHK' : `${n} BHK`;
}

const labels = {
  sale_new: 'New', sale_resale: 'Resale', rent: 'Rent', lease: 'Lease',
  apartment: 'Apartment', independent_house: 'Independent house', villa: 'Villa',
  builder_floor: 'Builder floor', plot: 'Plot', studio: 'Studio', penthouse: 'Penthouse',
  pg: 'PG / co-living', office: 'Office', shop: 'Shop', warehouse: 'Warehouse',
  furnished: 'Furnished', semi_furnished: 'Semi-furnished', unfurnished: 'Unfurnished',
  ready: 'Ready to move', under_construction: 'Under construction',
  owner: 'Owner', agent: 'Agent', builder: 'Builder', seeker: 'Seeker', admin: 'Admin',
  pending_review: 'Pending review', draft: 'Draft', active: 'Active', rejected: 'Rejected',
  sold: 'Sold', rented: 'Rented', withdrawn: 'Withdrawn', expired: 'Expired',
  new: 'New', contacted: 'Contacted', visit_scheduled: 'Visit scheduled', visited: 'Visited',
  negotiating: 'Negotiating', won: 'Won', lost: 'Lost',
  family: 'Family', bachelors: 'Bachelors', company: 'Company', any: 'Anyone',
  north: 'North', north_east: 'North-east', east: 'East', south_east: 'South-east',
  south: 'South', south_west: 'South-west', west: 'West', north_west: 'North-west',
  morning: 'Morning', afternoon: 'Afternoon', evening: 'Evening', anytime: 'Any time',
  cctv: 'CCTV', wifi: 'Wi-Fi', no_show: 'No-show',
};

export function label(v) {
  if (v === null || v === undefined || v === '') return '—';
  if (labels[v]) return labels[v];
  const s = String(v).replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export const AMENITIES = [
  'lift', 'power_backup', 'security', 'gated_community', 'gym', 'swimming_pool', 'club_house',
  'park', 'visitor_parking', 'intercom', 'rainwater_harvesting', 'fire_safety', 'cctv',
  'play_area', 'jogging_track', 'indoor_games', 'maintenance_staff', 'piped_gas',
  'water_storage', 'vaastu_compliant', 'wifi', 'air_conditioning', 'servant_room', 'study_room',
  'pooja_room', 'garden', 'terrace', 'private_pool', 'shopping_centre', 'school_nearby',
  'hospital_nearby', 'metro_nearby',
];
export const TRANSACTIONS = ['sale_resale', 'sale_new', 'rent', 'lease'];
export const PROPERTY_TYPES = ['apartment', 'independent_house', 'villa', 'builder_floor', 'plot',
  'studio', 'penthouse', 'pg', 'office', 'shop', 'warehouse'];
export const FURNISHING = ['furnished', 'semi_furnished', 'unfurnished'];
export const FACING = ['north', 'north_east', 'east', 'south_east', 'south', 'south_west', 'west',
  'north_west'];
export const LEAD_STAGES = ['new', 'contacted', 'visit_scheduled', 'visited', 'negotiating', 'won',
  'lost'];

const dateTime = new Intl.DateTimeFormat('en-IN', {
  timeZone: IST, day: 'numeric', month: 'short', year: 'numeric', hour: 'numeric', minute: '2-digit',
});
const dateOnly = new Intl.DateTimeFormat('en-IN', {
  timeZone: IST, weekday: 'short', day: 'numeric', month: 'short',
});
const timeOnly = new Intl.DateTimeFormat('en-IN', { timeZone: IST, hour: 'numeric', minute: '2-digit' });

export const when = (iso) => (iso ? dateTime.format(new Date(iso)) : '—');
export const day = (iso) => (iso ? dateOnly.format(new Date(iso)) : '—');
export const time = (iso) => (iso ? timeOnly.format(new Date(iso)) : '—');

// YYYY-MM-DD of an instant in India.
export function istDate(d = new Date()) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: IST }).format(d);
}
