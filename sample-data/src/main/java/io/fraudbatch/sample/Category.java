package io.fraudbatch.sample;

/**
 * Merchant categories with their spending shape: median ticket in USD, spread, how common they are,
 * and where they are bought.
 */
enum Category {
  GROCERY("5411", 45, 0.6, 20, true, false),
  RESTAURANT("5812", 38, 0.5, 12, true, false),
  FAST_FOOD("5814", 12, 0.4, 12, true, false),
  FUEL("5541", 40, 0.3, 10, true, false),
  PHARMACY("5912", 25, 0.6, 5, true, false),
  DEPARTMENT_STORE("5311", 60, 0.7, 5, true, false),
  CLOTHING("5691", 70, 0.7, 5, true, true),
  ELECTRONICS("5732", 150, 0.9, 3, true, true),
  BOOKS("5942", 20, 0.5, 2, true, true),
  TAXI("4121", 22, 0.5, 6, true, true),
  TRANSIT("4111", 3, 0.3, 5, true, false),
  HOTEL("7011", 180, 0.6, 1, true, true),
  AIRLINE("4511", 350, 0.6, 0.5, false, true),
  DIGITAL_GOODS("5816", 10, 0.8, 4, false, true),
  MISC_RETAIL("5999", 35, 0.8, 6, true, true),
  DIRECT_MARKETING("5967", 30, 0.7, 1, false, true),
  GAMBLING("7995", 50, 1.0, 0.3, false, true),
  CASH("6011", 100, 0.5, 3, false, false);

  final String mcc;
  final double medianUsd;
  final double sigma;
  final double weight;
  final boolean pos;
  final boolean web;

  Category(String mcc, double medianUsd, double sigma, double weight, boolean pos, boolean web) {
    this.mcc = mcc;
    this.medianUsd = medianUsd;
    this.sigma = sigma;
    this.weight = weight;
    this.pos = pos;
    this.web = web;
  }
}
