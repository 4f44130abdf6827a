/** Word lists for synthetic identities and cases: French names with accents and apostrophes. */

/** Family names. */
export const LAST_NAMES = [
  'Martin', 'Bernard', 'Thomas', 'Petit', 'Robert', 'Richard', 'Durand', 'Dubois', 'Moreau', 'Laurent',
  'Simon', 'Michel', 'Lefèvre', 'Leroy', 'Roux', 'David', 'Bertrand', 'Morel', 'Fournier', 'Girard',
  'Bonnet', 'Dupont', 'Lambert', 'Fontaine', 'Rousseau', 'Vincent', 'Müller', 'Lefebvre', 'Faure', 'André',
  'Mercier', 'Blanc', 'Guérin', 'Boyer', 'Garnier', 'Chevalier', 'François', 'Legrand', 'Gauthier', 'Garcia',
  'Perrin', 'Robin', 'Clément', 'Morin', 'Nicolas', 'Henry', 'Roussel', 'Mathieu', 'Gautier', 'Masson',
  "D'Amico", "N'Diaye", "L'Hôte", "D'Almeida", 'Le Goff', 'Le Gall', 'Ben Saïd', 'Benoît', 'Noël', 'Lemaître',
  'Côté', 'Traoré', 'Nguyen', 'Diallo', 'Da Silva', 'Ferreira', 'Renaud', 'Brun', 'Gaillard', 'Barbier',
  'Hoarau', 'Payet', 'Grondin', 'Jean-Baptiste', 'Séraphin',
];

/** Given names for women. */
export const FIRST_NAMES_F = [
  'Marie', 'Nathalie', 'Isabelle', 'Sylvie', 'Catherine', 'Sophie', 'Céline', 'Sandrine', 'Valérie', 'Aurélie',
  'Julie', 'Émilie', 'Camille', 'Léa', 'Chloé', 'Manon', 'Inès', 'Zoé', 'Anaïs', 'Hélène',
  'Françoise', 'Cécile', 'Agnès', 'Maëlle', 'Océane', 'Laëtitia', 'Fatou', 'Yasmine', 'Anne-Sophie', 'Noémie',
];

/** Given names for men. */
export const FIRST_NAMES_M = [
  'Jean', 'Philippe', 'Michel', 'Alain', 'Patrick', 'Nicolas', 'Christophe', 'Pierre', 'Stéphane', 'Frédéric',
  'Sébastien', 'Julien', 'Jérôme', 'Thomas', 'Lucas', 'Hugo', 'Théo', 'Mathéo', 'Noël', 'Gaël',
  'François', 'Loïc', 'Hervé', 'Benoît', 'Jean-Luc', 'Mamadou', 'Karim', 'Mehdi', 'Anthony', 'Cédric',
];


/** Street kinds. */
export const STREET_KINDS = ['rue', 'avenue', 'boulevard', 'impasse', 'allée', 'chemin', 'place', 'route'];
/** Street names. */
export const STREET_NAMES = [
  'de la République', 'Victor Hugo', 'Jean Jaurès', 'de la Paix', 'des Lilas', 'du Général de Gaulle',
  "de l'Église", 'Pasteur', 'des Écoles', 'du Moulin', 'Gambetta', 'de la Gare', 'Émile Zola', "d'Estienne d'Orves",
  'des Peupliers', 'Saint-Exupéry', 'du Château', 'Jules Ferry', 'de Verdun', 'des Tilleuls',
];
/** Building complements, some holding a `;` (a field that must be quoted). */
export const ADDRESS_COMPLEMENTS = ['Bât. B', 'Appt 12', 'Esc. C; 3e étage', 'Résidence "Les Pins"', 'Bât. A; porte 4', 'BP 45'];

/** Metropolitan postal codes and cities. */
export const CITIES: readonly (readonly [string, string])[] = [
  ['75011', 'Paris'], ['75018', 'Paris'], ['13003', 'Marseille'], ['69007', 'Lyon'], ['31000', 'Toulouse'],
  ['06000', 'Nice'], ['44000', 'Nantes'], ['67000', 'Strasbourg'], ['34000', 'Montpellier'], ['33000', 'Bordeaux'],
  ['59000', 'Lille'], ['35000', 'Rennes'], ['51100', 'Reims'], ['76600', 'Le Havre'], ['42000', 'Saint-Étienne'],
  ['83000', 'Toulon'], ['38000', 'Grenoble'], ['21000', 'Dijon'], ['49000', 'Angers'], ['30000', 'Nîmes'],
  ['93200', 'Saint-Denis'], ['95100', 'Argenteuil'], ['92000', 'Nanterre'], ['94000', 'Créteil'], ['62300', 'Lens'],
  ['80000', 'Amiens'], ['87000', 'Limoges'], ['29200', 'Brest'], ['64000', 'Pau'], ['2A004', 'Ajaccio'],
];

/** Overseas postal codes, cities and their mobile prefixes (national form). */
export const OVERSEAS: readonly (readonly [string, string, string])[] = [
  ['97110', 'Pointe-à-Pitre', '0690'], ['97200', 'Fort-de-France', '0696'], ['97300', 'Cayenne', '0694'],
  ['97400', 'Saint-Denis', '0692'], ['97600', 'Mamoudzou', '0639'],
];

/** Foreign residents: country code, postal code, city. */
export const ABROAD: readonly (readonly [string, string, string])[] = [
  ['BE', '1000', 'Bruxelles'], ['CH', '1201', 'Genève'], ['ES', '08001', 'Barcelona'], ['LU', 'L-1150', 'Luxembourg'],
];

/** Creditors and the nature of their claims, with the median principal (EUR). */
export const CREDITORS: readonly (readonly [string, string, number])[] = [
  ['Habitat Social du Rhône', 'LOYER', 1800], ['Foncière Delambre', 'LOYER', 2600],
  ['Crédit Conso Plus', 'CREDIT', 3200], ['Banque Populaire de l\'Ouest', 'CREDIT', 4500],
  ['Télécom Horizon', 'TELECOM', 350], ['Mobilis SA', 'TELECOM', 280],
  ['Énergie Sud Distribution', 'ENERGIE', 650], ['Eaux de la Vallée', 'ENERGIE', 420],
  ['Clinique Saint-Joseph', 'SANTE', 900], ['Auto-École Léon; Fils', 'FACTURE', 1200],
];
