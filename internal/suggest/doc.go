// Package suggest is drsim's one did-you-mean: given a name that is not
// known, it finds the known name the user most probably meant, or none.
//
// The distance is the Damerau–Levenshtein distance over runes (insertions,
// deletions, substitutions and transpositions of two adjacent characters,
// each costing 1; Lowrance and Wagner, "An Extension of the String-to-String
// Correction Problem", JACM 22(2), 1975), compared case-insensitively. A
// candidate is suggested only when the distance is small relative to the
// length of the names (see Limit), so that two different words that merely
// share a shape ("promote-key" and "rotate-key", "eu-west-1" and
// "us-west-2") are not offered as corrections of one another, and never
// between names with nothing in common ("x" and "k").
//
// The package is hand-written, standard library only: the command line
// (cobra's own suggestions use a fixed distance of 2 and no transpositions)
// and the scenario decoder must agree on one rule, and the algorithm is
// thirty lines.
package suggest
