// Invented full names for the world's persons, from culturally diverse given-name and family-name
// pools. A given name is always paired with a family name from a *different* pool, so no full name is
// a real public figure's. Every name is one plain ASCII word (letters only, so tokenizers keep it
// whole) and no word is both a given and a family name. Not the persons themselves (persons.ts).

import type { Rng } from '../core/rng.ts';

export interface NamePool {
  culture: string;
  given: readonly string[];
  family: readonly string[];
}

const words = (text: string): string[] => text.trim().split(/\s+/);

export const NAME_POOLS: readonly NamePool[] = [
  {
    culture: 'West African',
    given: words(`Adaeze Chinwe Kwabena Nnamdi Folasade Oluwaseun Yetunde Abena Kwaku Efua Ifeoma Chidi
      Temitope Babajide Ngozi Obinna Adwoa Kojo Amadou Fatoumata Mariama Ousmane Aissatou Sekou Binta Akosua Ekene`),
    family: words(`Okafor Adeyemi Mensah Boateng Nwosu Oyelaran Asante Owusu Diallo Traore Keita Ndiaye
      Camara Okonkwo Eze Adebayo Ogunleye Appiah Danquah Ofori Ibekwe Akinola Balogun Onyekachi Sissoko Konate Ugwu`),
  },
  {
    culture: 'East African and Southern African',
    given: words(`Amani Baraka Zawadi Wanjiru Makena Jabari Tsegaye Selam Dawit Meseret Nyokabi Achieng
      Imani Juma Rehema Tumaini Halima Liya Biruk Hirut Kioko Nasimiyu Wambui Kagiso Thandiwe Sipho Lerato Tendai`),
    family: words(`Otieno Mwangi Kamau Kibet Odhiambo Wanjala Njoroge Chebet Kiprop Tesfaye Bekele
      Gebremedhin Haile Alemu Desta Mutua Onyango Nyambura Kariuki Moyo Dlamini Nkosi Mokoena Ndlovu Khumalo Banda Phiri Chikwanha`),
  },
  {
    culture: 'East Asian',
    given: words(`Haruto Yuki Kenji Aiko Ren Hina Daiki Mei Jian Xiulan Wei Haoran Yuxin Zhiwei Jiayi
      Minjun Seoyeon Jiho Haeun Doyun Sora Takumi Misaki Ryota Chaeyoung Junho Lingyu`),
    family: words(`Tanaka Watanabe Kobayashi Yamamoto Nakamura Saito Fujita Ishikawa Morimoto Hayashi Zhang
      Chen Liu Huang Zhou Xu Guo Luo Kim Choi Jung Kang Yoon Seo Hwang Lim Wang`),
  },
  {
    culture: 'South Asian',
    given: words(`Aarav Ananya Vihaan Ishaan Priyanka Rohan Kavya Arjun Meera Siddharth Nandini Devika
      Karthik Lakshmi Anirudh Pooja Rahul Sneha Tanvi Vikram Harini Nikhil Aditi Farhan Sanjana Dhruv Ishita Yash`),
    family: words(`Sharma Iyer Reddy Patel Nair Menon Chatterjee Banerjee Kulkarni Deshpande Gupta
      Bhattacharya Rao Pillai Mehta Joshi Verma Chowdhury Krishnan Subramanian Ghosh Kapoor Malhotra Trivedi Bose Naidu Rathore Sinha`),
  },
  {
    culture: 'Southeast Asian',
    given: words(`Linh Thao Minh Quang Huong Bao Anh Tuan Phuong Siti Budi Dewi Agus Putri Wayan Ayu
      Malai Somchai Kanya Niran Arnel Rizalino Marites Jomar Lorna Maricel Danilo`),
    family: words(`Nguyen Tran Pham Hoang Vu Dang Bui Ngo Duong Santoso Wijaya Hartono Kusuma Setiawan
      Pratama Siregar Nasution Saetang Wongsakul Chaiyaporn Srisuk Bautista Dimaculangan Macaraeg Villareal Manalo Pangilinan Ocampo`),
  },
  {
    culture: 'Slavic',
    given: words(`Dmitri Anastasia Bogdan Zofia Miroslav Katarzyna Radek Milena Stanislav Jelena Vesna
      Dragan Oksana Yaroslav Ludmila Tomasz Agnieszka Vuk Branka Kazimir Zoran Svetlana Ivo Nikola Danica Wojciech Irina`),
    family: words(`Kowalski Novak Petrovic Ivanova Horvat Dvorak Sokolov Wisniewski Kovalenko Jankovic
      Zielinski Lebedev Babic Nowicki Kuznetsov Svoboda Pavlenko Markovic Wojcik Krol Bondarenko Stojanovic Kozlov Mazur Grabowski Vukovic Tkachenko`),
  },
  {
    culture: 'Latin American',
    given: words(`Mateo Valentina Santiago Camila Joaquin Ximena Emiliano Renata Thiago Luciana Alejandro
      Florencia Rodrigo Catalina Ignacio Paloma Esteban Marisol Facundo Jimena Gonzalo Antonella Leandro Yesenia Mauricio Daniela Agustina`),
    family: words(`Rodriguez Fernandez Gutierrez Ramirez Morales Castillo Herrera Medina Rojas Vargas
      Mendoza Aguilar Ortega Quispe Salazar Cardenas Figueroa Villanueva Paredes Espinoza Sepulveda Bustamante Zuniga Carvalho Oliveira Pereira Barbosa Acosta`),
  },
  {
    culture: 'Southern European',
    given: words(`Giulia Lorenzo Chiara Matteo Federica Alessio Eleni Nikos Dimitra Stavros Ioanna Vasilis
      Ines Duarte Beatriz Tiago Leonor Raffaella Corrado Ilaria Gianluca Sofia Paola Andreas Spyros Marta Aurelio Rosalba`),
    family: words(`Bianchi Esposito Ricci Marchetti Lombardi Galli Ferraro Rinaldi Colombo Papadopoulos
      Georgiou Nikolaidis Konstantinou Alexiou Karagiannis Costa Ferreira Santos Rocha Moreira Cavaco Monteiro Pires Benedetti Vitale Sartori Caruso`),
  },
  {
    culture: 'Nordic',
    given: words(`Astrid Soren Ingrid Bjorn Freya Leif Sigrid Henrik Solveig Torsten Maja Eskil Annika
      Gunnar Ylva Rasmus Tove Anders Elin Jorund Ragnhild Oskar Linnea Viggo Sunniva Halvard Kerstin`),
    family: words(`Lindqvist Johansson Haugen Berglund Nyberg Sandberg Lund Engstrom Halvorsen Eriksen
      Virtanen Korhonen Makinen Nieminen Solberg Bakken Ekdahl Sundqvist Rasmussen Kristiansen Jorgensen Lindahl Aalto Hedlund Vestergaard Thorsen`),
  },
  {
    culture: 'Celtic',
    given: words(`Siobhan Declan Aoife Cormac Niamh Ciaran Saoirse Eoin Orla Padraig Roisin Fionn Caoimhe
      Tadhg Eilidh Lachlan Mairead Ruairi Catriona Ewan Seonaid Cillian Bronagh Oisin Gwen Rhys Angharad Dafydd`),
    family: words(`Gallagher Brennan Donnelly Quigley Mulcahy Keane Hennessy Doherty MacLeod Buchanan
      Ferguson Sinclair Lennox Drummond Rafferty Flanagan Kavanagh Monaghan Geraghty Llewellyn Pritchard Prosser Vaughan Bowen Cadwallader Ruddock`),
  },
  {
    culture: 'Arabic',
    given: words(`Layla Omar Yasmin Khalid Nour Tariq Samira Yousef Rania Karim Amira Faisal Hana Idris
      Salma Zayd Leena Hamza Dalia Rashid Mariam Bilal Noura Adnan Farida Walid Huda Imran`),
    family: words(`Haddad Khoury Mansour Nasser Saleh Aziz Farouk Hamdan Qasim Darwish Sabbagh Khalil Awad
      Bakr Jaber Hijazi Suleiman Tamimi Zidan Najjar Barakat Masri Othman Halabi Yassin Karam Fakhoury`),
  },
  {
    culture: 'Turkish and Persian',
    given: words(`Elif Emre Zeynep Burak Defne Kerem Ayla Cem Selin Mert Ece Baran Dariush Shirin Arash
      Parisa Kaveh Niloufar Babak Roya Farzad Golnar Behrouz Tahmina Nazanin Kian Azadeh Omid`),
    family: words(`Yilmaz Demir Kaya Celik Sahin Ozturk Aydin Arslan Dogan Kilic Korkmaz Erdem Tehrani
      Karimi Hosseini Moradi Rostami Jafari Ebrahimi Sadeghi Ahmadi Farahani Ghorbani Shirazi Esfahani Rahimi Bahrami Kazemi`),
  },
  {
    culture: 'Polynesian',
    given: words(`Moana Tevita Leilani Sione Malia Losa Keoni Kalani Mele Tamatea Aroha Nikau Ngaio Hemi
      Manaia Tavita Teuila Kahu Mahina Rangi Alapaki Palila Wikitoria Tane Ikaika Lagi Fetu`),
    family: words(`Tuilagi Fifita Taufa Kealoha Makoa Ngata Parata Tupou Faleolo Mahe Leota Vaipulu
      Kahananui Akana Tamihana Pomare Hohaia Falaniko Sapolu Taumalolo Apelu Kaleikini Tuimavave Ruatapu Mataele Pouono Lolohea Vainikolo`),
  },
];

/** How many persons may share one given name (or one family name). With 1 use, names never repeat. */
export const MAX_USES_PER_NAME = 6;

export const ALL_GIVEN_NAMES: readonly string[] = NAME_POOLS.flatMap((p) => p.given);
export const ALL_FAMILY_NAMES: readonly string[] = NAME_POOLS.flatMap((p) => p.family);

/** The most persons createNames can name: each given and family name used at most MAX_USES_PER_NAME times. */
export const MAX_PERSONS = MAX_USES_PER_NAME * Math.min(ALL_GIVEN_NAMES.length, ALL_FAMILY_NAMES.length);

export interface PersonName {
  givenName: string;
  familyName: string;
  fullName: string;
  givenCulture: string;
  familyCulture: string;
}

interface Entry {
  name: string;
  pool: number;
  uses: number;
}

/**
 * `count` unique full names. Names are spread evenly: no name is used a second time before every name
 * of its kind has been used once (so up to ~350 persons, every given and family name is distinct).
 */
export function createNames(count: number, rng: Rng): PersonName[] {
  if (!Number.isInteger(count) || count < 0 || count > MAX_PERSONS) {
    throw new RangeError(
      `cannot name ${count} persons: the name pools allow between 0 and ${MAX_PERSONS} unique full names; ask for fewer persons`,
    );
  }
  const given: Entry[] = NAME_POOLS.flatMap((p, pool) => p.given.map((name) => ({ name, pool, uses: 0 })));
  const family: Entry[] = NAME_POOLS.flatMap((p, pool) => p.family.map((name) => ({ name, pool, uses: 0 })));
  const used = new Set<string>();
  const out: PersonName[] = [];
  for (let i = 0; i < count; i++) {
    const g = leastUsed(given, () => true, rng);
    const f = leastUsed(family, (e) => e.pool !== g.pool && !used.has(`${g.name} ${e.name}`), rng);
    g.uses++;
    f.uses++;
    const fullName = `${g.name} ${f.name}`;
    used.add(fullName);
    out.push({
      givenName: g.name,
      familyName: f.name,
      fullName,
      givenCulture: NAME_POOLS[g.pool].culture,
      familyCulture: NAME_POOLS[f.pool].culture,
    });
  }
  return out;
}

/** A random entry among those with the fewest uses that pass `ok` (uses < MAX_USES_PER_NAME). */
function leastUsed(entries: Entry[], ok: (e: Entry) => boolean, rng: Rng): Entry {
  let best: Entry[] = [];
  let bestUses = MAX_USES_PER_NAME;
  for (const e of entries) {
    if (e.uses >= MAX_USES_PER_NAME || e.uses > bestUses || !ok(e)) continue;
    if (e.uses < bestUses) {
      bestUses = e.uses;
      best = [];
    }
    best.push(e);
  }
  if (best.length === 0) throw new Error(`internal: the name pools ran out (max ${MAX_PERSONS} persons)`);
  return rng.pick(best);
}
