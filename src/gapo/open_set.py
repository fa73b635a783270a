"""What a real model may validly answer to an open-ended prompt ("Name an animal.").

The study's topics hold 8-14 items each: enough for list selection, but a real instruction-tuned
model asked for "an animal" names hundreds of others, and scoring its answers against those 8-14
items calls "a goat" not valid and caps Unique@N at the topic's size. For the ten open-ended
topics of the paper (Fig. 5), these lexicons list the common members of each category, written
for this project from general knowledge (no packaged taxonomy covers animals, gemstones or
instruments offline); the natural prompt style scores its open-ended answers against them. A
topic without a lexicon is scored on the study's items.

What they leave out, on purpose: class words that name no single member ("mammal", "bird" as an
animal, "fish"), fictional things ("unicorn"), planets of other stars ("Kepler-62f": the planets
are the Sun's, dwarf planets included) and bare modifiers ("dark", "light"). An answer outside a
lexicon counts as not valid, so the Unique@N these give is a lower bound. Other names of one answer
(`ALIASES`) and plurals are read as that answer by `gapo.parsing.extract_choice`.
"""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    return tuple(sorted({w.strip() for w in text.split(",") if w.strip()}))


OPEN_SET: dict[str, tuple[str, ...]] = {
    "planet": _words(
        "mercury, venus, earth, mars, jupiter, saturn, uranus, neptune, pluto, ceres, eris, haumea, makemake"
    ),
    "animal": _words(
        """dog, cat, horse, lion, tiger, elephant, giraffe, zebra, monkey, bear, wolf, fox, rabbit, deer,
        cow, pig, sheep, goat, donkey, mule, camel, llama, alpaca, buffalo, bison, yak, ox, moose, elk,
        reindeer, antelope, gazelle, hippopotamus, rhinoceros, gorilla, chimpanzee,
        orangutan, baboon, lemur, sloth, koala, kangaroo, wallaby, wombat, platypus, panda, red panda,
        polar bear, grizzly bear, brown bear, leopard, cheetah, jaguar, panther, cougar, puma, lynx,
        bobcat, hyena, jackal, coyote, dingo, raccoon, skunk, badger, otter, sea otter, beaver,
        squirrel, chipmunk, hamster, guinea pig, mouse, rat, mole, hedgehog, porcupine, bat, armadillo,
        anteater, aardvark, meerkat, mongoose, weasel, ferret, mink, seal, sea lion, walrus, whale,
        blue whale, killer whale, dolphin, porpoise, manatee, narwhal, shark, octopus, squid,
        jellyfish, starfish, crab, lobster, shrimp, snail, slug, worm, earthworm, spider, scorpion,
        ant, bee, wasp, butterfly, moth, beetle, ladybug, grasshopper, cricket, dragonfly, mosquito,
        fly, snake, python, cobra, anaconda, boa, viper, rattlesnake, lizard, iguana, gecko, chameleon, crocodile,
        alligator, turtle, tortoise, frog, toad, salamander, newt, eagle, owl, parrot, penguin,
        ostrich, emu, flamingo, peacock, chicken, duck, goose, swan, turkey, pigeon,
        crow, raven, sparrow, robin, hawk, falcon, vulture, pelican, hummingbird, woodpecker, salmon,
        tuna, trout, goldfish, cod, clownfish, eel, stingray, seahorse, ocelot, tapir, okapi, warthog,
        capybara, hare, opossum, pony""",
    ),
    "bird": _words(
        """eagle, sparrow, robin, owl, parrot, penguin, crow, swan, pigeon, falcon, flamingo, heron,
        hawk, vulture, condor, osprey, kestrel, buzzard, kite, raven, magpie, jay, blue jay, cardinal,
        finch, goldfinch, canary, starling, blackbird, thrush, nightingale, lark, skylark, swallow,
        swift, wren, warbler, bluebird, oriole, mockingbird, hummingbird, woodpecker, kingfisher,
        toucan, macaw, cockatoo, parakeet, budgerigar, lovebird, peacock, pheasant, quail,
        partridge, grouse, turkey, chicken, duck, mallard, goose, ostrich, emu, kiwi,
        cassowary, rhea, dodo, albatross, pelican, gull, tern, puffin, cormorant, stork,
        crane, egret, ibis, spoonbill, sandpiper, plover, dove, mourning dove, cuckoo, roadrunner,
        nuthatch, chickadee, titmouse, bald eagle, golden eagle, snowy owl, barn owl, emperor penguin,
        peregrine falcon, great blue heron, hornbill, lyrebird, kookaburra, bird of paradise""",
    ),
    "color": _words(
        """red, blue, green, yellow, purple, pink, brown, black, white, gray, teal, magenta,
        orange, violet, indigo, cyan, turquoise, aqua, navy, navy blue, sky blue, royal blue,
        light blue, dark blue, baby blue, cobalt, azure, cerulean, sapphire, lime, lime green,
        olive, emerald, emerald green, forest green, mint, mint green, jade, chartreuse, lavender,
        lilac, mauve, plum, maroon, burgundy, crimson, scarlet, ruby, cherry, cherry red, coral, salmon, peach,
        apricot, amber, gold, golden, silver, bronze, copper, beige, tan, khaki, cream, ivory,
        off white, charcoal, slate, taupe, chocolate, coffee, mahogany, rust, ochre, mustard,
        lemon, fuchsia, rose, blush, periwinkle, sepia, vermilion, cinnabar""",
    ),
    "country": _words(
        """afghanistan, albania, algeria, andorra, angola, antigua and barbuda, argentina, armenia,
        australia, austria, azerbaijan, bahamas, bahrain, bangladesh, barbados, belarus, belgium,
        belize, benin, bhutan, bolivia, bosnia and herzegovina, botswana, brazil, brunei, bulgaria,
        burkina faso, burundi, cambodia, cameroon, canada, cape verde, central african republic,
        chad, chile, china, colombia, comoros, congo, costa rica, croatia, cuba, cyprus,
        czech republic, denmark, djibouti, dominica, dominican republic, east timor,
        ecuador, egypt, el salvador, equatorial guinea, eritrea, estonia, eswatini, ethiopia, fiji,
        finland, france, gabon, gambia, georgia, germany, ghana, greece, grenada, guatemala, guinea,
        guinea bissau, guyana, haiti, honduras, hungary, iceland, india, indonesia, iran, iraq,
        ireland, israel, italy, ivory coast, jamaica, japan, jordan, kazakhstan, kenya, kiribati,
        kosovo, kuwait, kyrgyzstan, laos, latvia, lebanon, lesotho, liberia, libya, liechtenstein,
        lithuania, luxembourg, madagascar, malawi, malaysia, maldives, mali, malta,
        marshall islands, mauritania, mauritius, mexico, micronesia, moldova, monaco, mongolia,
        montenegro, morocco, mozambique, myanmar, namibia, nauru, nepal, netherlands,
        new zealand, nicaragua, niger, nigeria, north korea, north macedonia, norway, oman,
        pakistan, palau, palestine, panama, papua new guinea, paraguay, peru, philippines, poland,
        portugal, qatar, romania, russia, rwanda, saint lucia, samoa, san marino, saudi arabia,
        senegal, serbia, seychelles, sierra leone, singapore, slovakia, slovenia, solomon islands,
        somalia, south africa, south korea, south sudan, spain, sri lanka, sudan, suriname,
        sweden, switzerland, syria, taiwan, tajikistan, tanzania, thailand, togo, tonga,
        trinidad and tobago, tunisia, turkey, turkmenistan, tuvalu, uganda, ukraine,
        united arab emirates, united kingdom, england, scotland,
        wales, united states, uruguay, uzbekistan, vanuatu,
        vatican city, venezuela, vietnam, yemen, zambia, zimbabwe""",
    ),
    "fruit": _words(
        """apple, banana, cherry, grape, mango, pear, peach, plum, kiwi, lemon, lime, melon, orange,
        strawberry, blueberry, raspberry, blackberry, cranberry, gooseberry, currant, watermelon,
        cantaloupe, honeydew, pineapple, papaya, guava, passion fruit, dragon fruit, lychee, longan,
        rambutan, durian, jackfruit, mangosteen, persimmon, pomegranate, fig, date, apricot,
        nectarine, grapefruit, tangerine, mandarin, clementine, kumquat, pomelo, coconut, avocado,
        olive, quince, starfruit, tamarind, plantain, elderberry, mulberry, boysenberry,
        loquat, feijoa, cherimoya, soursop, acai, goji berry, huckleberry, prune, raisin""",
    ),
    "gemstone": _words(
        """diamond, ruby, emerald, sapphire, opal, pearl, topaz, amethyst, jade, garnet, aquamarine,
        turquoise, peridot, tourmaline, tanzanite, citrine, onyx, agate, jasper, lapis lazuli,
        moonstone, sunstone, obsidian, quartz, rose quartz, smoky quartz, zircon, spinel, alexandrite,
        beryl, morganite, chrysoberyl, cat's eye, tiger's eye, malachite, amber, coral,
        jet, bloodstone, carnelian, chalcedony, labradorite, kunzite, iolite, rhodolite, heliotrope,
        hematite, fluorite, azurite, chrysoprase, aventurine, sodalite, rhodochrosite, black opal,
        star sapphire""",
    ),
    "instrument": _words(
        """piano, guitar, violin, drums, flute, trumpet, cello, harp, saxophone, clarinet, banjo,
        ukulele, viola, double bass, bass guitar, electric guitar, acoustic guitar,
        keyboard, organ, synthesizer, accordion, harmonica, oboe, bassoon, piccolo, recorder, french
        horn, trombone, tuba, cornet, bugle, euphonium, xylophone, marimba, vibraphone,
        glockenspiel, timpani, snare drum, bass drum, tambourine, triangle, cymbals, bongos, congas,
        maracas, castanets, gong, bagpipes, mandolin, lute, sitar, tabla, harpsichord, celesta,
        dulcimer, zither, lyre, balalaika, bouzouki, didgeridoo, pan flute, kazoo, ocarina,
        steel drum, djembe, kalimba, theremin, erhu, koto, shamisen, shakuhachi""",
    ),
    "language": _words(
        """english, french, german, spanish, chinese, arabic, hindi, russian, portuguese, swahili,
        mandarin, cantonese, japanese, korean, italian, dutch, greek, latin, hebrew, turkish, persian,
        urdu, bengali, punjabi, tamil, telugu, marathi, gujarati, kannada, malayalam, thai,
        vietnamese, indonesian, malay, tagalog, filipino, polish, ukrainian, czech, slovak,
        hungarian, romanian, bulgarian, serbian, croatian, bosnian, slovenian, swedish, norwegian,
        danish, finnish, icelandic, estonian, latvian, lithuanian, irish, welsh, scottish gaelic,
        basque, catalan, galician, albanian, armenian, georgian, kazakh, uzbek, mongolian,
        tibetan, nepali, sinhala, burmese, khmer, lao, amharic, somali, yoruba, igbo, hausa, zulu,
        xhosa, afrikaans, maori, hawaiian, esperanto, sanskrit, yiddish, pashto, kurdish, azerbaijani,
        quechua, navajo, cherokee, inuktitut""",
    ),
    "tree": _words(
        """oak, pine, maple, birch, willow, cedar, elm, palm, spruce, ash, fir, redwood, sequoia,
        cypress, juniper, yew, hemlock, larch, beech, chestnut, horse chestnut, walnut, hickory,
        pecan, poplar, aspen, cottonwood, sycamore, plane tree, linden, lime tree, alder, hazel,
        hornbeam, magnolia, dogwood, cherry tree, apple tree, olive tree, orange tree, lemon tree,
        fig tree, banyan, baobab, acacia, eucalyptus, mahogany, teak, ebony, rosewood, sandalwood,
        bamboo, coconut palm, date palm, mango tree, jacaranda, ginkgo, weeping willow, douglas fir,
        giant sequoia, bonsai, mulberry, rowan, holly, laurel, myrtle, tamarind, neem, kapok""",
    ),
}

# Other names of one answer, read as that answer wherever it is valid (list or open prompt), so
# that "USA" and "the United States" are one answer, not two, and "a kitten" names a cat.
ALIASES: dict[str, str] = {
    "grey": "gray",
    "hippo": "hippopotamus",
    "rhino": "rhinoceros",
    "orca": "killer whale",
    "possum": "opossum",
    "kitten": "cat",
    "puppy": "dog",
    "lamb": "sheep",
    "calf": "cow",
    "hen": "chicken",
    "rooster": "chicken",
    "seagull": "gull",
    "budgie": "budgerigar",
    "carambola": "starfruit",
    "usa": "united states",
    "united states of america": "united states",
    "uk": "united kingdom",
    "great britain": "united kingdom",
    "britain": "united kingdom",
    "uae": "united arab emirates",
    "korea": "south korea",
    "czechia": "czech republic",
    "burma": "myanmar",
    "holland": "netherlands",
    "farsi": "persian",
    "tigers eye": "tiger's eye",
    "fiddle": "violin",
    "drum": "drums",
    "bass": "bass guitar",
    "horn": "french horn",
    "panpipes": "pan flute",
}
