// The world's fixed catalogues: 55 real home cities over the paper's 7 regions, and a few job titles
// for each of the paper's 17 occupation categories. Plain data; city and job words are ASCII (no
// diacritics) so answers tokenize the same everywhere. Which person gets what is decided in persons.ts.

import type { City, Occupation, Region } from './types.ts';

const city = (name: string, country: string, region: Region): City => ({ name, country, region });

export const CITIES: readonly City[] = [
  city('Toronto', 'Canada', 'North America'),
  city('Vancouver', 'Canada', 'North America'),
  city('Montreal', 'Canada', 'North America'),
  city('Chicago', 'United States', 'North America'),
  city('Seattle', 'United States', 'North America'),
  city('Denver', 'United States', 'North America'),
  city('Mexico City', 'Mexico', 'North America'),
  city('Guadalajara', 'Mexico', 'North America'),
  city('Buenos Aires', 'Argentina', 'South America'),
  city('Lima', 'Peru', 'South America'),
  city('Bogota', 'Colombia', 'South America'),
  city('Quito', 'Ecuador', 'South America'),
  city('Montevideo', 'Uruguay', 'South America'),
  city('Sao Paulo', 'Brazil', 'South America'),
  city('Medellin', 'Colombia', 'South America'),
  city('Lisbon', 'Portugal', 'Europe'),
  city('Barcelona', 'Spain', 'Europe'),
  city('Lyon', 'France', 'Europe'),
  city('Amsterdam', 'Netherlands', 'Europe'),
  city('Copenhagen', 'Denmark', 'Europe'),
  city('Krakow', 'Poland', 'Europe'),
  city('Vienna', 'Austria', 'Europe'),
  city('Edinburgh', 'United Kingdom', 'Europe'),
  city('Helsinki', 'Finland', 'Europe'),
  city('Nairobi', 'Kenya', 'Africa'),
  city('Lagos', 'Nigeria', 'Africa'),
  city('Accra', 'Ghana', 'Africa'),
  city('Dakar', 'Senegal', 'Africa'),
  city('Cape Town', 'South Africa', 'Africa'),
  city('Addis Ababa', 'Ethiopia', 'Africa'),
  city('Marrakesh', 'Morocco', 'Africa'),
  city('Kigali', 'Rwanda', 'Africa'),
  city('Osaka', 'Japan', 'Asia'),
  city('Seoul', 'South Korea', 'Asia'),
  city('Hanoi', 'Vietnam', 'Asia'),
  city('Bangkok', 'Thailand', 'Asia'),
  city('Manila', 'Philippines', 'Asia'),
  city('Jakarta', 'Indonesia', 'Asia'),
  city('Chennai', 'India', 'Asia'),
  city('Chengdu', 'China', 'Asia'),
  city('Kathmandu', 'Nepal', 'Asia'),
  city('Sydney', 'Australia', 'Australia & Oceania'),
  city('Melbourne', 'Australia', 'Australia & Oceania'),
  city('Brisbane', 'Australia', 'Australia & Oceania'),
  city('Auckland', 'New Zealand', 'Australia & Oceania'),
  city('Wellington', 'New Zealand', 'Australia & Oceania'),
  city('Suva', 'Fiji', 'Australia & Oceania'),
  city('Amman', 'Jordan', 'Middle East'),
  city('Beirut', 'Lebanon', 'Middle East'),
  city('Doha', 'Qatar', 'Middle East'),
  city('Muscat', 'Oman', 'Middle East'),
  city('Dubai', 'United Arab Emirates', 'Middle East'),
  city('Istanbul', 'Turkey', 'Middle East'),
  city('Tehran', 'Iran', 'Middle East'),
  city('Riyadh', 'Saudi Arabia', 'Middle East'),
];

/** Job titles per occupation category (lowercase; answers read "<name> is a <job>."). */
export const JOBS: Readonly<Record<Occupation, readonly string[]>> = {
  'Science & Research': ['marine biologist', 'chemist', 'physicist', 'research scientist'],
  'Healthcare & Medicine': ['nurse', 'surgeon', 'pharmacist', 'dentist'],
  'Technology & Engineering': ['software engineer', 'data analyst', 'robotics engineer', 'web developer'],
  'Environmental & Agriculture': ['farmer', 'forest ranger', 'ecologist', 'beekeeper'],
  'Arts & Creative Fields': ['painter', 'sculptor', 'musician', 'illustrator'],
  'Business & Finance': ['accountant', 'bank manager', 'financial advisor', 'shop owner'],
  'Public Service & Community Support': ['firefighter', 'social worker', 'police officer', 'postal worker'],
  'Education & Culture': ['teacher', 'librarian', 'museum curator', 'professor'],
  'Media & Communications': ['journalist', 'radio host', 'photographer', 'translator'],
  'Architecture & Construction': ['architect', 'carpenter', 'electrician', 'civil engineer'],
  'Law & Policy': ['lawyer', 'judge', 'policy advisor', 'diplomat'],
  'Retail & Services': ['baker', 'barista', 'hairdresser', 'chef'],
  'Sports & Fitness': ['swimming coach', 'fitness trainer', 'tennis player', 'yoga instructor'],
  'Logistics & Transportation': ['truck driver', 'pilot', 'ship captain', 'warehouse manager'],
  'Energy & Natural Resources': ['geologist', 'solar technician', 'mining engineer', 'wind turbine technician'],
  Unemployed: ['job seeker', 'retiree', 'homemaker'],
  Students: ['university student', 'medical student', 'art student', 'graduate student'],
};

/** "a" or "an" before a job title (by its first letter; every title here follows that rule). */
export function article(phrase: string): 'a' | 'an' {
  return /^[aeiou]/i.test(phrase) ? 'an' : 'a';
}
